using Alrs.Learning.Rl;

namespace Alrs.Bench;

/// <summary>An environment that reports every completed decision to a <see cref="DecisionMeter"/>; otherwise the wrapped one.</summary>
public sealed class CountingEnvironment(ILearningEnvironment inner, DecisionMeter meter) : ILearningEnvironment
{
    public int ObservationSize => inner.ObservationSize;
    public ActionSpace ActionSpace => inner.ActionSpace;
    public float[] Reset(int seed) => inner.Reset(seed);

    public StepResult Step(float[] action)
    {
        var result = inner.Step(action);
        meter.Record();
        return result;
    }

    public void Dispose() => inner.Dispose();
}
