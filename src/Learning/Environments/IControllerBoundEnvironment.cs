namespace Alrs.Learning.Environments;

/// <summary>
/// An environment whose controller-facing settings (observation, action, reward: a
/// <see cref="ControllerSpec"/>) can change between episodes, so one environment can play for
/// the controllers of a population whose variants differ there (alrs.population.variants).
/// </summary>
public interface IControllerBoundEnvironment
{
    /// <summary>The spec it observes, acts and rewards by now.</summary>
    ControllerSpec Spec { get; }

    /// <summary>Takes <paramref name="spec"/> from the next episode on: call it just before a reset.</summary>
    void Bind(ControllerSpec spec);
}
