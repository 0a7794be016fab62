using Alrs.Learning.Baselines;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Environments;

/// <summary>
/// The controller corrects a hand-designed schedule instead of replacing it: for every child
/// step t of the interval after a decision, rate_t = base(t)·exp(a), a clipped to ±ln factor.
/// a = 0 reproduces the base exactly, and an untrained controller's mean action is ≈ 0, so
/// learning starts from the tuned base (e.g. the knee schedule selected on the validation
/// seed) and only has to find where deviating from it pays. The episode's initial rate is
/// ignored: the base sets the rate from the first step, as it does for the baselines.
/// </summary>
public sealed class ResidualActions : IActionMapping
{
    readonly LogContinuousActions _log;

    public ResidualActions(double factor, IFixedSchedule baseSchedule, ResidualCap? cap = null)
    {
        ArgumentNullException.ThrowIfNull(baseSchedule);
        _log = new LogContinuousActions(factor);
        Base = baseSchedule;
        Cap = cap ?? ResidualCap.None;
    }

    public string Name => ActionMappings.Residual;
    public ActionSpace Space => _log.Space;
    /// <summary>The schedule that a = 0 follows.</summary>
    public IFixedSchedule Base { get; }

    /// <summary>The bound on the multiplier late in the episode (<see cref="ResidualCap.None"/>: none).</summary>
    public ResidualCap Cap { get; }

    /// <summary>exp(a) after clipping, applied to every step of the interval.</summary>
    public double Multiplier(float[] action) => _log.Multiplier(action);

    /// <summary>
    /// exp(a) after clipping, at most <see cref="ResidualCap.Max"/> for a decision taken at or after
    /// <see cref="ResidualCap.From"/> of the episode (<paramref name="progress"/> = steps taken / steps).
    /// </summary>
    public double Multiplier(float[] action, double progress) => Cap.Bound(_log.Multiplier(action), progress);

    /// <summary>The rate at the episode's first step, before any decision (the base's).</summary>
    public double InitialRate => Base.At(0);

    /// <summary>
    /// The rate of one step: <paramref name="learningRate"/> must be the base's rate at that step
    /// (the environment passes base(t) for every step of the interval).
    /// </summary>
    public double Apply(double learningRate, float[] action) => learningRate * Multiplier(action);
}
