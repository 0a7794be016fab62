using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Environments;

/// <summary>
/// The child's Adam: torch.optim's <see cref="Adam"/> (its state, options and serialisation,
/// so <see cref="ChildSnapshot"/> and the learning-rate setting work unchanged) with a step
/// that applies the same tensor operations in the same order, so its results are bit for bit
/// those of TorchSharp's step, but holds every scalar a native call reads until the call
/// returns.
/// <para>
/// Why: TorchSharp 0.107's own step passes implicitly converted <see cref="Scalar"/>s, which
/// nothing references once their handle is read, so the garbage collector may finalize (free)
/// them while libtorch still reads them. With six environment threads on two cores this ended
/// 7 of a population run's first 500 episodes ("Unknown scalar type", a failed toFloat
/// check, always inside Adam's step), and a freed
/// scalar whose memory was reused in time would have been read as a wrong number silently.
/// The PPO optimizer (<c>Ppo.AdamOptimizer</c>) holds its scalars for the same reason.
/// </para>
/// Supports what the child uses: minimising, no weight decay, no AMSGrad.
/// </summary>
public sealed class ChildAdam : Adam
{
    public ChildAdam(IEnumerable<Parameter> parameters, double learningRate) : base(parameters, learningRate) { }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        if (options.weight_decay is not (null or 0.0) || options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("ChildAdam supports neither weight decay, AMSGrad nor maximising");
        var (beta1, beta2, rate) = (options.beta1!.Value, options.beta2!.Value, options.LearningRate!.Value);
        using var decay1 = beta1.ToScalar();
        using var decay2 = beta2.ToScalar();
        using var keep1 = (1 - beta1).ToScalar();
        using var keep2 = (1 - beta2).ToScalar();
        using var epsilon = options.eps!.Value.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null) continue;
            var state = (State)_state[parameter.Handle];
            state.step += 1;
            var correction1 = 1 - Math.Pow(beta1, state.step);
            var correction2 = 1 - Math.Pow(beta2, state.step);
            using var secondMomentCorrection = Math.Sqrt(correction2).ToScalar();
            using var stepSize = (-(rate / correction1)).ToScalar();
            state.exp_avg.mul_(decay1).add_(gradient, alpha: keep1);
            state.exp_avg_sq.mul_(decay2).addcmul_(gradient, gradient, value: keep2);
            var denominator = state.exp_avg_sq.sqrt().div_(secondMomentCorrection).add_(epsilon);
            parameter.addcdiv_(state.exp_avg, denominator, value: stepSize);
        }
    }, closure);
}
