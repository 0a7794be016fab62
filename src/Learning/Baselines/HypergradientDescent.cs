using static TorchSharp.torch;

namespace Alrs.Learning.Baselines;

/// <summary>
/// The rate rule of hypergradient descent (Baydin et al., ICLR 2018), for any optimizer whose
/// update is θ_{t+1} = θ_t − α_t·u_t: α_t = α_{t−1} + β·⟨∇f(θ_t), u_{t−1}⟩, clipped to the
/// environment's rate bounds. u is the previous update's direction: the gradient for SGD,
/// the velocity for SGD with momentum, m̂/(√v̂ + ε) for Adam. Rather than reading each
/// optimizer's internals, it is recovered as (θ_{t−1} − θ_t)/α_{t−1} from a copy of the
/// parameters taken before the previous update: one copy and one dot product per step.
/// </summary>
public sealed class HypergradientDescent(double initialRate, double beta, double minimum, double maximum) : IDisposable
{
    Tensor[]? _before;

    /// <summary>The rate of the latest step.</summary>
    public double Rate { get; private set; } = Math.Clamp(initialRate, minimum, maximum);

    /// <summary>α + β·⟨g, u⟩ within [minimum, maximum]; a non-finite product leaves the rate as it was.</summary>
    public static double Updated(double rate, double beta, double gradientDotDirection, double minimum, double maximum) =>
        double.IsFinite(gradientDotDirection) ? Math.Clamp(rate + beta * gradientDotDirection, minimum, maximum) : rate;

    /// <summary>
    /// The rate for the coming update of <paramref name="parameters"/>. Call it once per step
    /// after the backward pass (gradients in place) and before the optimizer step.
    /// </summary>
    public double Next(IEnumerable<Tensor> parameters)
    {
        var list = parameters.ToList();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (_before is not null)
        {
            if (_before.Length != list.Count) throw new InvalidOperationException("hypergradient descent followed a different parameter list");
            Tensor? dot = null;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].grad is not { } gradient) continue;
                var term = (gradient.to(ScalarType.Float64) * (_before[i].to(ScalarType.Float64) - list[i].to(ScalarType.Float64))).sum();
                dot = dot is null ? term : dot + term;
            }
            var product = dot is null ? 0 : dot.item<double>() / Rate;
            Rate = Updated(Rate, beta, product, minimum, maximum);
            foreach (var (copy, parameter) in _before.Zip(list)) copy.copy_(parameter);
        }
        else
        {
            _before = list.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        }
        return Rate;
    }

    public void Dispose()
    {
        foreach (var copy in _before ?? []) copy.Dispose();
        _before = null;
    }
}
