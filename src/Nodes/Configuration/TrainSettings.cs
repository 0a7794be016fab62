using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Nodes.Configuration;

/// <summary>The <c>alrs.train</c> section of hocon/actors.hocon: how long to train, where, what to evaluate.</summary>
public sealed record TrainSettings(long Episodes, string Out, string Evaluate)
{
    /// <summary>Evaluate the best stored version (by validation loss) instead of the latest.</summary>
    public bool EvaluateBest => Evaluate == "best";

    /// <summary>Run the post-training comparison at all (alrs.train.evaluate = none skips it).</summary>
    public bool EvaluateAfterTraining => Evaluate != "none";

    public static TrainSettings FromConfig(Config config)
    {
        const string path = "alrs.train";
        if (!config.HasPath($"{path}.episodes")) throw new InputException($"{path}.episodes is missing (see hocon/actors.hocon)");
        var text = config.GetString($"{path}.episodes");
        if (!long.TryParse(text, out var episodes) || episodes < 1 || episodes > 10_000_000)
            throw new InputException($"{path}.episodes must be an integer in [1, 10000000], got '{text}'");
        var evaluate = config.GetString($"{path}.evaluate", "latest")?.Trim();
        if (evaluate is not ("latest" or "best" or "none"))
            throw new InputException($"{path}.evaluate must be latest, best or none, got '{evaluate}'");
        return new TrainSettings(episodes, config.GetString($"{path}.out", "") ?? "", evaluate);
    }
}
