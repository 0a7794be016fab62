namespace Alrs.Messages;

// The policy store persists every committed version; the learner publishes a version only
// after the store confirmed it, so every published version is recoverable.

/// <summary>
/// Persist <see cref="Policy"/>. <see cref="ValidationLoss"/> ranks versions for "best"
/// (lower is better; NaN when unknown). <see cref="Metrics"/> are the update's diagnostics.
/// </summary>
public sealed record CommitPolicy(PolicyVersion Policy, double ValidationLoss, IReadOnlyDictionary<string, double> Metrics);

/// <summary>The version is durable (event and weight snapshot written).</summary>
public sealed record PolicyCommitted(long Version);

/// <summary>The version could not be written.</summary>
public sealed record PolicyCommitFailed(long Version, string Reason);

/// <summary>Asks the store for <see cref="StoredPolicies"/>.</summary>
public sealed record GetStoredPolicies
{
    public static readonly GetStoredPolicies Instance = new();
    GetStoredPolicies() { }
}

/// <summary>
/// What the store holds: the newest version with weights, the best by validation loss (both
/// null when empty), the highest version number ever committed (numbering continues after it)
/// and the versions whose weights are kept.
/// </summary>
public sealed record StoredPolicies(
    PolicyVersion? Latest,
    PolicyVersion? Best,
    double BestValidationLoss,
    long LastVersionNumber,
    IReadOnlyList<long> KeptVersions);
