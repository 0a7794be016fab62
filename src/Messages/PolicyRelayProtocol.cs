namespace Alrs.Messages;

// Per-node policy fan-out: every node that runs environments has one policy relay. The
// learner sends each version once to every relay; the relay hands it to its node's
// environment actors, so the learner's bytes per version grow with nodes, not environments.
// Environments register through their relay (which passes the registration on to the
// learner), so the learner always knows a node's relay before that node's environments.

/// <summary>
/// A node's policy relay (the sender) wants every new version once for its whole node.
/// <see cref="Version"/> is the newest version it holds (-1 = none): the learner answers with
/// its published version when that is newer. Sent when the relay starts and again every
/// <c>alrs.actors.environments.relay-refresh</c>, so a restarted or moved learner learns
/// of the relay without the node restarting. <see cref="Versions"/>: in a population, the newest
/// version held of each controller by controller id (-1 = none; <see cref="Version"/> is
/// controller 0's); the population hands each learner its own.
/// </summary>
public sealed record RegisterPolicyRelay(long Version, IReadOnlyList<long>? Versions = null);

/// <summary>
/// Published on an environment node's event stream when an environment actor adopted
/// <see cref="Version"/> (its checksum matched): telemetry for benchmarks and drills.
/// </summary>
public sealed record PolicyAdopted(string EnvironmentId, long Version);
