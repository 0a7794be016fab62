using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Alrs.Learning.Environments;

namespace Alrs.Learning.Baselines;

/// <summary>
/// Baseline runs kept between processes. A baseline run is deterministic given everything
/// that shapes it, so its result is stored under a key of all of that: the alrs build (its
/// informational version and the Alrs.Learning module id, which any code change alters), the
/// TorchSharp version, libtorch's thread count, the exact data the child sees
/// (<see cref="Data.DatasetFingerprint"/>), the architecture, the environment settings a
/// schedule run reads (not the controller's own: features, actions, reward and noise), the
/// schedule with its parameters, and the seed. A second <c>alrs train</c>, or another
/// controller on the same problem, then reads the grid instead of training it again.
/// One JSON file per run under <see cref="Directory"/>, written atomically; an unreadable or
/// foreign file is a miss and is rewritten. libtorch's thread count is in the key because it
/// changes results (measured: a 60-step MNIST run's test loss differs in the 8th digit between
/// 1 and 2 threads); <paramref name="torchThreads"/> fixes it for tests, else it is read per run.
/// </summary>
public sealed class BaselineCache(string directory, string dataFingerprint, int? torchThreads = null)
{
    /// <summary>Where the runs are kept unless configured: &lt;user cache&gt;/baselines (~/.cache/alrs/baselines).</summary>
    public static string DefaultDirectory => Path.Combine(UserCache.Root, "baselines");

    const int Format = 1;

    static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Runs this instance read from the cache.</summary>
    public int Reused { get; private set; }

    /// <summary>Runs this instance trained (and stored).</summary>
    public int Trained { get; private set; }

    /// <summary>The run of <paramref name="schedule"/> on <paramref name="seed"/>: from the cache when it holds it, else trained and stored.</summary>
    public BaselineRun Run(LearningRateEnvironment environment, ILearningRateSchedule schedule, int seed, CancellationToken cancellation = default)
    {
        var key = KeyText(environment, schedule, seed);
        var file = Path.Combine(Directory, Hash(key) + ".json");
        if (TryRead(file, key, schedule) is { } cached)
        {
            Reused++;
            return cached;
        }
        var run = BaselineRunner.Run(environment, schedule, seed, cancellation);
        Trained++;
        Write(file, key, run);
        return run;
    }

    /// <summary>The full text the key is the hash of: one JSON object of everything a run depends on.</summary>
    public string KeyText(LearningRateEnvironment environment, ILearningRateSchedule schedule, int seed)
    {
        var learning = typeof(BaselineCache).Assembly;
        var key = new JsonObject
        {
            ["format"] = Format,
            ["alrs"] = learning.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            ["build"] = learning.ManifestModule.ModuleVersionId.ToString(),
            ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "",
            ["threads"] = torchThreads ?? TorchSharp.torch.get_num_threads(),
            ["data"] = dataFingerprint,
            ["arch"] = environment.Architecture,
            ["settings"] = JsonSerializer.SerializeToNode(ScheduleRelevant(environment.Settings), Json),
            ["schedule"] = schedule.GetType().FullName,
            ["parameters"] = JsonSerializer.SerializeToNode(schedule, schedule.GetType(), Json),
            ["seed"] = seed,
        };
        return key.ToJsonString();
    }

    /// <summary>
    /// The settings with what only a controller reads put back to defaults, so controllers
    /// that differ in features, actions, reward or exploration noise share their baselines.
    /// Everything else (and any setting added later) stays in the key.
    /// </summary>
    static EnvironmentSettings ScheduleRelevant(EnvironmentSettings settings)
    {
        var defaults = new EnvironmentSettings();
        return settings with
        {
            Observation = defaults.Observation,
            ObserveProgress = defaults.ObserveProgress,
            Action = defaults.Action,
            ActionFactor = defaults.ActionFactor,
            Reward = defaults.Reward,
            DivergencePenalty = defaults.DivergencePenalty,
            LearningRateNoiseStd = defaults.LearningRateNoiseStd,
            InitialLearningRateRelativeNoise = defaults.InitialLearningRateRelativeNoise,
            // Baselines pass their seeds explicitly; the base seed only picks which.
            Seed = defaults.Seed,
        };
    }

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    sealed record StoredRun(
        string Key, int Seed, double ValidationLoss, double ValidationAccuracy, double TestLoss, double TestAccuracy, bool Diverged,
        IReadOnlyList<DecisionTrace> Trace, double Seconds, int KeptSteps, long ChildSteps);

    static BaselineRun? TryRead(string file, string key, ILearningRateSchedule schedule)
    {
        if (!File.Exists(file)) return null;
        try
        {
            var stored = JsonSerializer.Deserialize<StoredRun>(File.ReadAllText(file), Json);
            if (stored is null || stored.Key != key || stored.Trace is null) return null;
            return new BaselineRun(schedule, stored.Seed, new ChildEvaluation(stored.ValidationLoss, stored.ValidationAccuracy),
                new ChildEvaluation(stored.TestLoss, stored.TestAccuracy), stored.Diverged, stored.Trace, TimeSpan.FromSeconds(stored.Seconds))
            {
                KeptSteps = stored.KeptSteps,
                ChildSteps = stored.ChildSteps,
                FromCache = true,
            };
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    void Write(string file, string key, BaselineRun run)
    {
        var stored = new StoredRun(key, run.Seed, run.FinalValidation.Loss, run.FinalValidation.Accuracy, run.Test.Loss, run.Test.Accuracy,
            run.Diverged, run.Trace, run.Elapsed.TotalSeconds, run.KeptSteps, run.ChildSteps);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            // Written beside and renamed: a reader never sees half a file, and parallel writers of one key both leave a whole one.
            var partial = $"{file}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
            File.WriteAllText(partial, JsonSerializer.Serialize(stored, Json));
            File.Move(partial, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs the next run time, not this run its result.
        }
    }
}
