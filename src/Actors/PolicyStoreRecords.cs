using Alrs.Messages;

namespace Alrs.Actors;

// What the policy store writes: one event per committed version (no weights) and, per
// version, a snapshot holding the weights of the newest and of the best version. Serialised
// by Akka's default JSON serializer; byte[] round-trips exactly (base64).

/// <summary>
/// Event: a policy version was committed, with the learner's fragment watermarks at that
/// version and the episode scores it reported (both null in journals written before they existed)
/// and, when the version is a population-based-training exploit, that exploit.
/// </summary>
public sealed record PolicyVersionCommitted(
    long Version,
    DateTime CommittedUtc,
    string Checksum,
    double? ValidationLoss,
    Dictionary<string, double> Metrics,
    EnvironmentWatermark[]? Watermarks = null,
    VersionScore[]? Scores = null,
    PopulationExploit? Exploit = null);

/// <summary>
/// Snapshot: the newest version's weights, the best one's, which snapshots are kept, the
/// watermarks, and every exploit that made a version of this store (its lineage: recovery
/// replays only the events after the latest snapshot, so the snapshot carries all of them).
/// </summary>
public sealed record PolicyStoreSnapshot(
    long Version,
    byte[] Blob,
    string Checksum,
    long BestVersion,
    byte[] BestBlob,
    string BestChecksum,
    double? BestValidationLoss,
    long[] KeptVersions,
    long[] KeptSequenceNrs,
    EnvironmentWatermark[]? Watermarks = null,
    PopulationExploit[]? Exploits = null);
