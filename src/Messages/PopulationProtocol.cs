namespace Alrs.Messages;

// A population of controllers (alrs.population): K learners share the environments. The
// population actor assigns every environment to one controller; an environment plays each
// episode with its controller's policy and stamps the controller on what it sends.

/// <summary>
/// From the population to an environment actor: play with <see cref="Controller"/>'s policy
/// from the next episode on (an episode never mixes controllers, so every controller's
/// exactly-once watermarks see whole episodes).
/// </summary>
public sealed record AssignController(int Controller);

// Population-based training (alrs.population.mode = pbt): every interval-updates updates a
// controller is ranked by its mean recent return; one in the bottom quantile continues from a
// top-quantile controller's committed version with explored PPO hyper-parameters. The
// population actor orchestrates; a learner only answers for its own policy and applies an
// exploit it is sent, never knowing its siblings.

/// <summary>
/// One exploit of population-based training: <see cref="Controller"/> (mean recent return
/// <see cref="MeanReturn"/>, after <see cref="Updates"/> of its PPO updates) continued as its
/// <see cref="Version"/> from <see cref="SourceController"/>'s committed <see cref="SourceVersion"/>
/// (mean recent return <see cref="SourceMeanReturn"/>): weights, normaliser statistics and Adam
/// state copied bit for bit, with <see cref="Hyperparameters"/> (alrs.ppo key → value) explored
/// from the source's as <see cref="Perturbation"/> says (e.g. <c>learning-rate ×1.2,
/// clip-coefficient resampled</c>). Persisted with the version it made (the policy store's
/// journal event and snapshots), so the lineage exists exactly when that version does.
/// <see cref="Version"/> and <see cref="Updates"/> are -1 until the exploited learner fills them in.
/// </summary>
public sealed record PopulationExploit(
    int Controller,
    long Version,
    long Updates,
    int SourceController,
    long SourceVersion,
    IReadOnlyDictionary<string, double> Hyperparameters,
    string Perturbation,
    double MeanReturn,
    double SourceMeanReturn,
    DateTime RecordedUtc);

/// <summary>Asks a learner for its newest committed version and that version's hyperparameters (<see cref="PolicySnapshot"/>).</summary>
public sealed record GetPolicySnapshot
{
    public static readonly GetPolicySnapshot Instance = new();
    GetPolicySnapshot() { }
}

/// <summary>
/// A learner's newest committed (durable, published) version, whose blob holds its weights,
/// normaliser statistics and Adam state, and the PPO hyperparameters it was made with (alrs.ppo
/// key → value). <see cref="Policy"/> is null before the first commit.
/// </summary>
public sealed record PolicySnapshot(PolicyVersion? Policy, IReadOnlyDictionary<string, double> Hyperparameters);

/// <summary>
/// To a learner: continue from <see cref="Source"/> (another controller's committed version) with
/// <see cref="Exploit"/>'s hyperparameters, as a new version of your own. Answered with
/// <see cref="Exploited"/> once that version is committed, or <see cref="ExploitRefused"/>.
/// </summary>
public sealed record ExploitFrom(PolicyVersion Source, PopulationExploit Exploit);

/// <summary>The exploit is committed as <see cref="PopulationExploit.Version"/> of the learner's controller.</summary>
public sealed record Exploited(PopulationExploit Exploit);

/// <summary>The learner could not continue from the source (a corrupt blob, other shapes): it goes on as it was.</summary>
public sealed record ExploitRefused(int Controller, string Reason);
