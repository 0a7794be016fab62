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
    void Reset();
    float[] Observe(DecisionMeasurement measurement);
}

/// <summary>The observation kinds by configuration name.</summary>
public static class ObservationFeatures
{
    public const string Reimplementation = "reimplementation", Authors = "authors";
    public static readonly IReadOnlyList<string> Kinds = [Reimplementation, Authors];

    public static IObservationFeatures Create(string kind) => kind switch
    {
        Reimplementation => new ReimplementationFeatures(),
        Authors => new AuthorsFeatures(),
        _ => throw new InputException($"unknown observation kind '{kind}' (known: {string.Join(", ", Kinds)})"),
    };
}
