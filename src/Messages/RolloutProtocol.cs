namespace Alrs.Messages;

// The rollout supervisor: how many environments sample, and how they fare.

/// <summary>Runs <see cref="Count"/> environment actors from now on (starting or stopping the highest indexes).</summary>
public sealed record ScaleEnvironments(int Count);

/// <summary>Asks the rollout supervisor for a <see cref="RolloutStatus"/>.</summary>
public sealed record GetRolloutStatus
{
    public static readonly GetRolloutStatus Instance = new();
    GetRolloutStatus() { }
}

/// <summary>Environments running, waiting to restart after a failure, or stopped for good.</summary>
public sealed record RolloutStatus(
    IReadOnlyList<string> Running,
    IReadOnlyList<string> Restarting,
    IReadOnlyList<string> Stopped,
    int Restarts);
