using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Environments;

/// <summary>
/// The child's SGD, plain or with (heavy-ball) momentum: torch.optim's <see cref="SGD"/> with
/// a step that applies the same tensor operations in the same order (bit for bit the same
/// results) but holds every scalar a native call reads until the call returns; why is on
/// <see cref="ChildAdam"/>. Supports what the child uses: minimising, no weight decay, no
/// Nesterov momentum.
/// </summary>
public sealed class ChildSgd : SGD
{
    public ChildSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0)
        : base(parameters, learningRate, momentum) { }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        if (options.weight_decay is not (null or 0.0) || options.nesterov == true || options.maximize == true)
            throw new NotSupportedException("ChildSgd supports neither weight decay, Nesterov momentum nor maximising");
        var momentum = options.momentum!.Value;
        using var descent = (-options.LearningRate!.Value).ToScalar();
        using var bufferDecay = momentum.ToScalar();
        using var gradientShare = (1 - options.dampening!.Value).ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null) continue;
            var direction = gradient;
            if (momentum != 0)
            {
                var state = (State)_state[parameter.Handle];
                // The first step starts the buffer at the gradient itself, as torch.optim does.
                if (state.momentum_buffer is null) state.momentum_buffer = gradient.clone().detach().DetachFromDisposeScope();
                else state.momentum_buffer.mul_(bufferDecay).add_(gradient, alpha: gradientShare);
                direction = state.momentum_buffer;
            }
            parameter.add_(direction, alpha: descent);
        }
    }, closure);
}
