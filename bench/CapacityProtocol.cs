namespace Alrs.Bench;

// Between the capacity benchmark (the learner's process) and its worker processes, over
// Akka.Remote on loopback with Akka's default serializer (bench-only messages, a few per run).

/// <summary>A worker process is up; the sender is its <see cref="CapacityWorker"/> actor.</summary>
public sealed record WorkerReady(int Worker);

/// <summary>Start <see cref="Environments"/> paced environments sending to the actor at <see cref="Learner"/> (a path).</summary>
public sealed record StartRollouts(int Run, int Environments, bool Relay, double Rate, string Learner);

public sealed record RolloutsStarted(int Worker, int Run);

public sealed record StopRollouts(int Run);

public sealed record RolloutsStopped(int Worker, int Run);

/// <summary>
/// All of the worker's environments of <see cref="Run"/> adopted <see cref="Version"/>; the last
/// did at <see cref="Timestamp"/> (Stopwatch ticks: CLOCK_MONOTONIC, the same clock in every
/// process of the machine).
/// </summary>
public sealed record VersionAdopted(int Worker, int Run, long Version, long Timestamp);

public sealed record GetUsage(int Run);

/// <summary>The worker process's processor time so far and its resident memory.</summary>
public sealed record WorkerUsage(int Worker, double CpuSeconds, long ResidentBytes);

public sealed record ShutDownWorker(int Worker);
