using static TorchSharp.torch;

namespace Alrs.Learning.Ppo;

/// <summary>
/// Adam (Kingma &amp; Ba; PyTorch's update rule) over a fixed list of tensors, each with its
/// own learning rate (actor and critic may differ). Written out rather than taken from
/// torch.optim so its moments are explicit tensors that the policy blob saves bit-exactly.
/// </summary>
internal sealed class AdamOptimizer : IDisposable
{
    const double Beta1 = 0.9, Beta2 = 0.999;
    readonly IReadOnlyList<Tensor> _parameters;
    readonly double[] _learningRates;
    readonly double _epsilon;

    public AdamOptimizer(IReadOnlyList<Tensor> parameters, double[] learningRates, double epsilon)
    {
        if (parameters.Count != learningRates.Length) throw new ArgumentException("one learning rate per parameter");
        _parameters = parameters;
        _learningRates = learningRates;
        _epsilon = epsilon;
        FirstMoments = parameters.Select(p => zeros_like(p).detach()).ToArray();
        SecondMoments = parameters.Select(p => zeros_like(p).detach()).ToArray();
    }

    /// <summary>Steps taken so far (the bias-correction exponent).</summary>
    public long Steps { get; set; }
    public Tensor[] FirstMoments { get; }
    public Tensor[] SecondMoments { get; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Steps++;
        var correction1 = 1 - Math.Pow(Beta1, Steps);
        var correction2 = 1 - Math.Pow(Beta2, Steps);
        for (var i = 0; i < _parameters.Count; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null) continue;
            FirstMoments[i].mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
            SecondMoments[i].mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
            var denominator = (SecondMoments[i].sqrt() / Math.Sqrt(correction2)).add_(_epsilon);
            _parameters[i].addcdiv_(FirstMoments[i], denominator, value: -_learningRates[i] / correction1);
        }
    }

    public void Dispose()
    {
        foreach (var m in FirstMoments.Concat(SecondMoments)) m.Dispose();
    }
}
