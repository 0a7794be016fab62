using Akka.Configuration;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>
/// What every spec needs: the shipped hocon (copied beside the test binaries), a fresh run
/// directory for the SQLite policy store, small settings, and fast policies.
/// </summary>
public static class TestRun
{
    public static string HoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>actors.hocon and persistence.hocon as shipped, plus <paramref name="overrides"/>.</summary>
    public static Config ShippedConfig(string overrides = "")
    {
        var config = ConfigurationFactory.ParseString(overrides);
        foreach (var file in new[] { "persistence.hocon", "actors.hocon", "population.hocon" })
            config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(HoconDirectory, file))));
        return config;
    }

    public static string NewDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "alrs-actors-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes a run directory; the SQLite file may still be open, which Linux allows.</summary>
    public static void DeleteDirectory(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Settings small enough for specs: quick updates, short fragments, fast restarts.</summary>
    public static ActorSettings SmallSettings(string overrides = "") =>
        ActorSettings.FromConfig(ShippedConfig("""
            alrs.actors.learner.steps-per-update = 8
            alrs.actors.environments.fragment-decisions = 4
            alrs.actors.environments.torch-threads = 1
            alrs.actors.supervisor.backoff-min = 50ms
            alrs.actors.supervisor.backoff-max = 200ms
            akka.loglevel = WARNING

            """ + overrides));

    /// <summary>The actor system configuration for a run directory.</summary>
    public static Config SystemConfig(string runDirectory, ActorSettings settings) =>
        TrainingSystem.ForRun(ShippedConfig("akka.loglevel = WARNING"), settings, runDirectory);

    public static readonly PpoSettings Ppo = new() { Minibatches = 1, Epochs = 1 };

    public static PpoAgent NewAgent(int seed = 0) => new(Ppo, 3, ActionSpace.Discrete(3), seed);

    public static PolicyVersion PolicyOf(PpoAgent agent, long version)
    {
        var blob = agent.ToBlob();
        return new PolicyVersion(version, blob, PolicyChecksum.Of(blob));
    }

    /// <summary>A fragment of <paramref name="decisions"/> made-up decisions in the quadratic environment's shapes.</summary>
    public static TrajectoryFragment Fragment(string environment, long episode, int sequence, long policyVersion, int decisions = 4, bool endsEpisode = false) =>
        new(environment, episode, sequence, policyVersion,
            Enumerable.Range(0, decisions)
                .Select(i => new DecisionRecord([-1f + 0.1f * i, -2.5f, i / 10f], [i % 3], -1.1f, -0.5f, -0.3f * i, endsEpisode && i == decisions - 1))
                .ToArray(),
            endsEpisode ? 0f : -0.4f,
            endsEpisode);
}

/// <summary>
/// A fast environment that can be made to fail: throws on decision <c>failAt</c> (1-based)
/// of its lifetime, then behaves like <see cref="NoisyQuadraticEnvironment"/>.
/// </summary>
public sealed class FaultyEnvironment(int decisionsPerEpisode, int? failAt) : ILearningEnvironment
{
    readonly NoisyQuadraticEnvironment _inner = new(continuousActions: false, decisionsPerEpisode);
    int _decisions;

    public int ObservationSize => _inner.ObservationSize;
    public ActionSpace ActionSpace => _inner.ActionSpace;
    public float[] Reset(int seed) => _inner.Reset(seed);

    public StepResult Step(float[] action)
    {
        if (++_decisions == failAt) throw new InvalidOperationException($"child training blew up at decision {failAt}");
        return _inner.Step(action);
    }

    public void Dispose() => _inner.Dispose();
}
