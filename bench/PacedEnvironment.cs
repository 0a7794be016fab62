using Alrs.Learning.Rl;

namespace Alrs.Bench;

/// <summary>
/// An <see cref="InstantEnvironment"/> that takes <c>rate</c> decisions per second: each step
/// sleeps until its slot, so N environments offer N × rate decisions/s to the learner without
/// training a child (the CPU cost left is the policy's forward pass and the messages).
/// A step that is late (the machine is busy) does not try to catch up.
/// </summary>
public sealed class PacedEnvironment(ILearningEnvironment inner, double rate) : ILearningEnvironment
{
    readonly long _period = (long)(TimeSpan.TicksPerSecond / rate);
    long _next = DateTime.UtcNow.Ticks;

    public int ObservationSize => inner.ObservationSize;
    public ActionSpace ActionSpace => inner.ActionSpace;

    public float[] Reset(int seed) => inner.Reset(seed);

    public StepResult Step(float[] action)
    {
        _next = Math.Max(_next + _period, DateTime.UtcNow.Ticks);
        var wait = _next - DateTime.UtcNow.Ticks;
        if (wait > 0) Thread.Sleep(TimeSpan.FromTicks(wait));
        return inner.Step(action);
    }

    public void Dispose() => inner.Dispose();
}
