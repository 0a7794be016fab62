namespace Alrs.Messages;

// Policy synchronisation: the learner publishes every committed version to the
// environment actors (RLlib's "weights synced with a sequence number").

/// <summary>
/// One version of the controller's policy as <see cref="Blob"/> (PpoAgent.ToBlob), with the
/// SHA-256 of the blob as lowercase hex so a receiver can reject a corrupted copy.
/// Versions increase by one with every update; numbering continues across restarts.
/// <see cref="Controller"/>: whose version it is in a population of controllers (each numbers
/// its own versions; 0 in a run with one controller).
/// </summary>
public sealed record PolicyVersion(long Version, byte[] Blob, string Checksum, int Controller = 0);
