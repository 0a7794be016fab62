using TorchSharp;
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
    // Every scalar a native call reads is held here or in a using for the call's duration:
    // TorchSharp 0.107 frees an implicitly converted Scalar from its finalizer, which may run
    // while the call still reads it (seen as "Unknown scalar type" / toFloat check failures).
    readonly Scalar _beta1 = Beta1.ToScalar(), _beta2 = Beta2.ToScalar();
    readonly Scalar _oneMinusBeta1 = (1 - Beta1).ToScalar(), _oneMinusBeta2 = (1 - Beta2).ToScalar();
    readonly Scalar _epsilon, _one = 1.0.ToScalar();

    public AdamOptimizer(IReadOnlyList<Tensor> parameters, double[] learningRates, double epsilon)
    {
        if (parameters.Count != learningRates.Length) throw new ArgumentException("one learning rate per parameter");
        _parameters = parameters;
        _learningRates = learningRates;
        _epsilon = epsilon.ToScalar();
        FirstMoments = parameters.Select(p => zeros_like(p).detach()).ToArray();
        SecondMoments = parameters.Select(p => zeros_like(p).detach()).ToArray();
    }

    /// <summary>A factor on every learning rate (PPO's learning-rate annealing sets it before each update).</summary>
    public double LearningRateScale { get; set; } = 1.0;

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
        using var secondMomentCorrection = Math.Sqrt(correction2).ToScalar();
        for (var i = 0; i < _parameters.Count; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null) continue;
            using var stepSize = (-_learningRates[i] * LearningRateScale / correction1).ToScalar();
            FirstMoments[i].mul_(_beta1).add_(gradient, alpha: _oneMinusBeta1);
            SecondMoments[i].mul_(_beta2).addcmul_(gradient, gradient, value: _oneMinusBeta2);
            var denominator = SecondMoments[i].sqrt().div_(secondMomentCorrection).add_(_epsilon, alpha: _one);
            _parameters[i].addcdiv_(FirstMoments[i], denominator, value: stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var m in FirstMoments.Concat(SecondMoments)) m.Dispose();
        foreach (var s in new[] { _beta1, _beta2, _oneMinusBeta1, _oneMinusBeta2, _epsilon, _one }) s.Dispose();
    }
}
