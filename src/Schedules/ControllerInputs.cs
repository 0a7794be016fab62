using static TorchSharp.torch;

namespace Alrs.Schedules;

/// <summary>
/// What a learned schedule observes of your network at each decision, besides the training
/// loss you pass to <c>step</c>: the logits of a fixed validation batch (computed by
/// <see cref="ValidationLogits"/>, which the schedule calls without gradients; put a model
/// with dropout or batch norm in eval mode inside it), that batch's labels, and the weight of
/// the output layer. Policies trained with the <c>authors</c> features also read the weights
/// of the first two layers (<see cref="FirstWeight"/>, <see cref="SecondWeight"/>).
/// </summary>
public sealed record ControllerInputs(Func<Tensor> ValidationLogits, Tensor ValidationLabels, Tensor OutputWeight)
{
    public Tensor? FirstWeight { get; init; }
    public Tensor? SecondWeight { get; init; }
}
