namespace Alrs.Learning.Environments;

/// <summary>
/// Appends <c>progress</c> = child steps taken / steps per episode to another feature set.
/// With γ = 1 and a fixed horizon the best rate depends on how many steps remain (the
/// tuned cosine and step decay are functions of time alone), so the controller must see time.
/// </summary>
public sealed class WithProgressFeature(IObservationFeatures inner) : IObservationFeatures
{
    public string Name => inner.Name;
    public bool OnLogits => inner.OnLogits;
    public IReadOnlyList<string> FeatureNames { get; } = [.. inner.FeatureNames, "progress"];

    public void Reset() => inner.Reset();

    public float[] Observe(DecisionMeasurement m) => [.. inner.Observe(m), (float)m.Progress];
}
