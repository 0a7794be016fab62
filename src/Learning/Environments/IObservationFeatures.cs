namespace Alrs.Learning.Environments;

/// <summary>
/// Turns the measurements of successive decisions into the controller's observation
/// vector. May keep state across an episode's decisions (moving averages); <see cref="Reset"/>
/// starts a new episode.
/// </summary>
public interface IObservationFeatures
{
    string Name { get; }
    /// <summary>One short name per feature, in vector order (for logs and traces).</summary>
    IReadOnlyList<string> FeatureNames { get; }
    int Size => FeatureNames.Count;
    /// <summary>Whether the prediction statistics are taken on raw outputs (logits) rather than softmax probabilities.</summary>
    bool OnLogits => false;
    void Reset();
    float[] Observe(DecisionMeasurement measurement);
}

/// <summary>The observation kinds by configuration name.</summary>
public static class ObservationFeatures
{
    public const string Reimplementation = "reimplementation", ReimplementationLog = "reimplementation-log", Authors = "authors", Log = "log";
    public static readonly IReadOnlyList<string> Kinds = [Reimplementation, ReimplementationLog, Authors, Log];

    /// <summary>
    /// The feature set <paramref name="kind"/>; with <paramref name="progress"/> the fraction of the
    /// episode's steps already taken is appended as a last feature.
    /// </summary>
    public static IObservationFeatures Create(string kind, bool progress = false)
    {
        IObservationFeatures features = kind switch
        {
            Reimplementation => new ReimplementationFeatures(),
            ReimplementationLog => new ReimplementationLogFeatures(),
            Authors => new AuthorsFeatures(),
            Log => new LogFeatures(),
            _ => throw new InputException($"unknown observation kind '{kind}' (known: {string.Join(", ", Kinds)})"),
        };
        return progress ? new WithProgressFeature(features) : features;
    }
}
