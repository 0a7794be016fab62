using Akka.Configuration;
using Alrs.Learning;

namespace Alrs.Actors;

/// <summary>
/// Settings of the training actor graph, read from hocon/actors.hocon and
/// hocon/persistence.hocon (<c>alrs.actors.*</c>, <c>alrs.store.*</c>) where each key is documented.
/// </summary>
public sealed record ActorSettings
{
    /// <summary>Decisions collected before one PPO update.</summary>
    public int StepsPerUpdate { get; init; } = 200;
    /// <summary>Fragments older than this many versions behind the newest are dropped.</summary>
    public int MaxPolicyLag { get; init; } = 2;
    /// <summary>Seed of a fresh learner policy.</summary>
    public int LearnerSeed { get; init; }
    /// <summary>
    /// This learner's controller id in a population (set by the population actor for each of its
    /// learners, never read from configuration); stamped on its versions, and fragments of other
    /// controllers are refused as malformed. 0 in a run with one controller.
    /// </summary>
    public int Controller { get; init; }
    /// <summary>This learner's configuration variant in a population, as <c>key = value, …</c> (set by the population like <see cref="Controller"/>; empty for none).</summary>
    public string Variant { get; init; } = "";
    /// <summary>Dispatcher the learner runs on.</summary>
    public string LearnerDispatcher { get; init; } = "alrs-learner-dispatcher";
    /// <summary>Decisions the learner buffers at most (while an update waits for the store); beyond, fragments are refused and re-sent later.</summary>
    public int MaxBufferedDecisions { get; init; } = 20_000;
    /// <summary>Environments whose fragment watermark the learner remembers (least recently heard of forgotten first).</summary>
    public int WatermarkEnvironments { get; init; } = 4096;
    /// <summary>The store unavailable this long ends training with an error.</summary>
    public TimeSpan StoreUnavailableTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>While the store is unavailable, the learner repeats its warning at most this often.</summary>
    public TimeSpan StoreOutageLogInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Environment actors started with the graph.</summary>
    public int Environments { get; init; } = 2;
    /// <summary>Decisions per trajectory fragment.</summary>
    public int FragmentDecisions { get; init; } = 25;
    /// <summary>Base seed; environment i uses seed + i.</summary>
    public int EnvironmentSeed { get; init; }
    /// <summary>libtorch intra-op threads; 0 = processors / environments, at least 1.</summary>
    public int TorchThreads { get; init; }
    /// <summary>
    /// Prepended to every environment id (<c>env-i</c>). Empty on one node; a worker node sets
    /// its address and incarnation, so ids (and the learner's duplicate keys) are unique in a cluster.
    /// </summary>
    public string EnvironmentIdPrefix { get; init; } = "";
    /// <summary>Dispatcher the environment actors run on.</summary>
    public string EnvironmentDispatcher { get; init; } = "alrs-environment-dispatcher";
    /// <summary>Unacknowledged fragments are resent after this long.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Fragments an environment keeps unacknowledged at most; when full it pauses sampling until acknowledgements come.</summary>
    public int MaxUnackedFragments { get; init; } = 1000;
    /// <summary>Whether environment actors obey <c>InjectFault</c> (tests and drills only; off in production).</summary>
    public bool AllowFaultInjection { get; init; }
    /// <summary>
    /// One <see cref="PolicyRelay"/> per node hands each version to the node's environments;
    /// off = the learner sends every environment its own copy (kept to measure the difference).
    /// </summary>
    public bool PolicyRelay { get; init; } = true;
    /// <summary>How often a relay registers again with the learner (finds a restarted or moved learner).</summary>
    public TimeSpan RelayRefresh { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Failures tolerated within <see cref="RestartWindow"/> before an environment is stopped.</summary>
    public int MaxRestarts { get; init; } = 3;
    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>A scale request for more environments than this is clamped to it (and logged once).</summary>
    public int MaxEnvironments { get; init; } = 256;

    /// <summary>Weight snapshots kept besides the best one.</summary>
    public int KeepLast { get; init; } = 5;
    public string PersistenceId { get; init; } = "alrs-policy-store";
    public string StoreProvider { get; init; } = "SQLite.MS";
    /// <summary>Empty = SQLite file <see cref="SqliteFile"/> in the run directory.</summary>
    public string StoreConnectionString { get; init; } = "";
    public string SqliteFile { get; init; } = "policies.db";
    /// <summary>Backoff of the store's supervisor after a journal or snapshot fault stopped it.</summary>
    public TimeSpan StoreBackoffMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan StoreBackoffMax { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Random jitter added to each backoff delay, as a fraction of it.</summary>
    public double StoreBackoffRandomFactor { get; init; } = 0.2;
    /// <summary>How long the learner waits for the store's answer before it counts the store unavailable.</summary>
    public TimeSpan StoreRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long the learner waits before asking an unavailable store again.</summary>
    public TimeSpan StoreRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The store as an operator knows it (provider and file, or host/database), without credentials.</summary>
    public string StoreName(string runDirectory)
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = ConnectionStringFor(runDirectory) };
        string Part(string key) => builder.TryGetValue(key, out var value) ? value?.ToString() ?? "" : "";
        var dataSource = Part("Data Source");
        return dataSource.Length > 0
            ? $"{StoreProvider} {dataSource}"
            : $"{StoreProvider} {Part("Host")}:{(Part("Port") is { Length: > 0 } port ? port : "5432")}/{Part("Database")}";
    }

    /// <summary>The libtorch thread count to use for <paramref name="processors"/> cores.</summary>
    public int EffectiveTorchThreads(int processors) =>
        TorchThreads > 0 ? TorchThreads : Math.Max(1, processors / Math.Max(1, Environments));

    /// <summary>The store's connection string for a run directory.</summary>
    public string ConnectionStringFor(string runDirectory) =>
        StoreConnectionString.Length > 0
            ? StoreConnectionString
            : $"Data Source={Path.Combine(Path.GetFullPath(runDirectory), SqliteFile)}";

    /// <summary>Reads and validates the settings; out-of-range values throw <see cref="InputException"/> naming the key.</summary>
    public static ActorSettings FromConfig(Config config)
    {
        const string a = "alrs.actors.", s = "alrs.store.";
        var settings = new ActorSettings
        {
            StepsPerUpdate = Int(config, a + "learner.steps-per-update", 1, 1_000_000),
            MaxPolicyLag = Int(config, a + "learner.max-policy-lag", 0, 1000),
            LearnerSeed = Int(config, a + "learner.seed", 0, int.MaxValue),
            LearnerDispatcher = Text(config, a + "learner.dispatcher"),
            MaxBufferedDecisions = Int(config, a + "learner.max-buffered-decisions", 1, 10_000_000),
            WatermarkEnvironments = Int(config, a + "learner.watermark-environments", 16, 1_000_000),
            StoreUnavailableTimeout = Duration(config, a + "learner.store-unavailable-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            StoreOutageLogInterval = Duration(config, a + "learner.store-outage-log-interval", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            Environments = Int(config, a + "environments.count", 1, 256),
            FragmentDecisions = Int(config, a + "environments.fragment-decisions", 1, 100_000),
            EnvironmentSeed = Int(config, a + "environments.seed", 0, int.MaxValue),
            TorchThreads = Int(config, a + "environments.torch-threads", 0, 256),
            EnvironmentDispatcher = Text(config, a + "environments.dispatcher"),
            AckTimeout = Duration(config, a + "environments.ack-timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            MaxUnackedFragments = Int(config, a + "environments.max-unacked-fragments", 1, 1_000_000),
            AllowFaultInjection = Switch(config, a + "environments.allow-fault-injection"),
            PolicyRelay = Switch(config, a + "environments.policy-relay"),
            RelayRefresh = Duration(config, a + "environments.relay-refresh", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            MaxRestarts = Int(config, a + "supervisor.max-restarts", 0, 1000),
            RestartWindow = Duration(config, a + "supervisor.window", TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            BackoffMin = Duration(config, a + "supervisor.backoff-min", TimeSpan.Zero, TimeSpan.FromHours(1)),
            BackoffMax = Duration(config, a + "supervisor.backoff-max", TimeSpan.Zero, TimeSpan.FromHours(1)),
            MaxEnvironments = Int(config, a + "supervisor.max-environments", 1, 256),
            KeepLast = Int(config, s + "keep-last", 1, 10_000),
            PersistenceId = Text(config, s + "persistence-id"),
            StoreProvider = Text(config, s + "provider-name"),
            StoreConnectionString = config.GetString(s + "connection-string", "") ?? "",
            SqliteFile = Text(config, s + "sqlite-file"),
            StoreBackoffMin = Duration(config, s + "backoff-min", TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
            StoreBackoffMax = Duration(config, s + "backoff-max", TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
            StoreBackoffRandomFactor = Double(config, s + "backoff-random-factor", 0, 1),
            StoreRequestTimeout = Duration(config, s + "request-timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            StoreRetryInterval = Duration(config, s + "retry-interval", TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
        };
        if (settings.StoreBackoffMax < settings.StoreBackoffMin)
            throw new InputException($"{s}backoff-max must be at least backoff-min ({settings.StoreBackoffMin}), got {settings.StoreBackoffMax}");
        // A fragment that would overflow the buffer is refused; with less room than this, a buffer
        // one decision short of an update could refuse every fragment and no version would ever come.
        var leastBuffered = (long)settings.StepsPerUpdate + settings.FragmentDecisions - 1;
        if (settings.MaxBufferedDecisions < leastBuffered)
            throw new InputException(
                $"{a}learner.max-buffered-decisions must be at least {a}learner.steps-per-update + {a}environments.fragment-decisions - 1 " +
                $"({settings.StepsPerUpdate} + {settings.FragmentDecisions} - 1 = {leastBuffered}), got {settings.MaxBufferedDecisions}: with less, training can stall without a single update");
        // One environment alone must be able to hold a whole update's fragments unacknowledged, or sampling could pause for good.
        var perUpdate = (settings.StepsPerUpdate + settings.FragmentDecisions - 1) / settings.FragmentDecisions + 1;
        if (settings.MaxUnackedFragments < perUpdate)
            throw new InputException($"{a}environments.max-unacked-fragments must be at least {perUpdate} (learner.steps-per-update / environments.fragment-decisions, rounded up, + 1), got {settings.MaxUnackedFragments}");
        if (settings.BackoffMax < settings.BackoffMin)
            throw new InputException($"{a}supervisor.backoff-max must be at least backoff-min ({settings.BackoffMin}), got {settings.BackoffMax}");
        return settings;
    }

    static int Int(Config config, string key, int min, int max)
    {
        Require(config, key);
        int value;
        try { value = config.GetInt(key); }
        catch (Exception e) { throw new InputException($"{key} must be an integer in [{min}, {max}], got '{config.GetString(key)}'", e); }
        if (value < min || value > max) throw new InputException($"{key} must be in [{min}, {max}], got {value}");
        return value;
    }

    static double Double(Config config, string key, double min, double max)
    {
        Require(config, key);
        double value;
        try { value = config.GetDouble(key); }
        catch (Exception e) { throw new InputException($"{key} must be a number in [{min}, {max}], got '{config.GetString(key)}'", e); }
        if (!(value >= min && value <= max)) throw new InputException($"{key} must be in [{min}, {max}], got {value}");
        return value;
    }

    static TimeSpan Duration(Config config, string key, TimeSpan min, TimeSpan max)
    {
        Require(config, key);
        TimeSpan value;
        try { value = config.GetTimeSpan(key, allowInfinite: false); }
        catch (Exception e) { throw new InputException($"{key} must be a duration in [{min}, {max}] (e.g. 500ms, 30s, 5m), got '{config.GetString(key)}'", e); }
        if (value < min || value > max) throw new InputException($"{key} must be in [{min}, {max}], got {value}");
        return value;
    }

    static bool Switch(Config config, string key)
    {
        Require(config, key);
        return config.GetString(key)?.Trim().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            var other => throw new InputException($"{key} must be on or off, got '{other}'"),
        };
    }

    static string Text(Config config, string key)
    {
        Require(config, key);
        var value = config.GetString(key);
        if (string.IsNullOrWhiteSpace(value)) throw new InputException($"{key} must not be empty");
        return value;
    }

    static void Require(Config config, string key)
    {
        if (!config.HasPath(key)) throw new InputException($"configuration key {key} is missing (see hocon/actors.hocon and hocon/persistence.hocon)");
    }
}
