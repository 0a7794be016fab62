using System.Globalization;
using Alrs.Learning;

namespace Alrs.Bench;

/// <summary>
/// The harness's flags, shared by every benchmark. Each benchmark reads the ones it uses;
/// an unknown flag or a bad value is an <see cref="InputException"/> (exit 2).
/// </summary>
public sealed record BenchOptions
{
    public static readonly IReadOnlyList<string> Flags =
    [
        "envs", "repeats", "warmup", "decisions", "dataset", "arch", "batch-size", "validation-samples",
        "torch-threads", "steps-per-update", "data-dir", "threads", "workers", "rate", "fanout", "seconds", "pairs", "actor-config",
    ];

    /// <summary>Environment counts (--envs 1,2,4); null = the benchmark's default.</summary>
    public IReadOnlyList<int>? Environments { get; init; }
    /// <summary>Measured repetitions; figures are their median (--repeats).</summary>
    public int Repeats { get; init; } = 5;
    /// <summary>Whether --repeats was given (a benchmark may default to fewer).</summary>
    public bool RepeatsGiven { get; init; }
    /// <summary>HOCON laid over the shipped actors.hocon for the actor variant, e.g. "akka.scheduler.tick-duration = 100ms" (--actor-config); empty = none.</summary>
    public string ActorConfig { get; init; } = "";
    /// <summary>Overhead: interleaved pairs (one run of each variant) measured; the figure is their median ratio (--pairs).</summary>
    public int Pairs { get; init; } = 16;
    /// <summary>Decisions per environment before the timed window opens (--warmup).</summary>
    public int WarmupDecisions { get; init; } = 2;
    /// <summary>Decisions per environment inside the timed window (--decisions); a decision is decision-interval child steps.</summary>
    public int Decisions { get; init; } = 20;
    /// <summary>Child data set (--dataset).</summary>
    public string Dataset { get; init; } = "mnist";
    /// <summary>Child architecture (--arch).</summary>
    public string Architecture { get; init; } = "mlp";
    /// <summary>Training images per child step (--batch-size).</summary>
    public int BatchSize { get; init; } = 1000;
    /// <summary>Validation images measured per decision (--validation-samples).</summary>
    public int ValidationSamples { get; init; } = 10_000;
    /// <summary>libtorch intra-op threads; 0 = the actor system's rule, processors / environments (--torch-threads).</summary>
    public int TorchThreads { get; init; }
    /// <summary>Learner batch in decisions; 0 = 100 × environments, as in the mnist-mlp preset (--steps-per-update).</summary>
    public int StepsPerUpdate { get; init; }
    /// <summary>Data directory; empty = the per-user cache (--data-dir).</summary>
    public string DataDir { get; init; } = "";
    /// <summary>Scaling: torch thread modes to compare, "rule" and/or "fixed" = all processors per environment (--threads).</summary>
    public IReadOnlyList<string> ThreadModes { get; init; } = ["rule", "fixed"];
    /// <summary>Capacity: worker processes the environments are spread over (--workers).</summary>
    public int Workers { get; init; } = 3;
    /// <summary>Capacity: decisions per second each environment offers (--rate).</summary>
    public double Rate { get; init; } = 4;
    /// <summary>Capacity: policy fan-outs to compare, "relay" (per node) and/or "direct" (per environment) (--fanout).</summary>
    public IReadOnlyList<string> Fanouts { get; init; } = ["relay", "direct"];
    /// <summary>Capacity: length of each timed window in seconds (--seconds).</summary>
    public int Seconds { get; init; } = 8;

    public IReadOnlyList<int> EnvironmentsOr(params int[] defaults) => Environments ?? defaults;

    /// <summary>Parses <c>--flag value</c> pairs over <paramref name="defaults"/> (the benchmark's own).</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args, BenchOptions? defaults = null)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new InputException($"unexpected argument '{arg}' (flags are --name value)");
            var name = arg[2..];
            if (!Flags.Contains(name)) throw new InputException($"unknown flag --{name} (known: {string.Join(", ", Flags.Select(f => "--" + f))})");
            if (i + 1 >= args.Count) throw new InputException($"--{name} needs a value");
            values[name] = args[++i];
        }

        var options = defaults ?? new BenchOptions();
        if (values.TryGetValue("envs", out var envs))
            options = options with { Environments = envs.Split(',').Select(e => Int("envs", e, 1, 4096)).ToArray() };
        if (values.TryGetValue("threads", out var modes))
        {
            var list = modes.Split(',').Select(m => m.Trim()).ToArray();
            if (list.Any(m => m is not ("rule" or "fixed"))) throw new InputException($"--threads takes rule and/or fixed, got '{modes}'");
            options = options with { ThreadModes = list };
        }
        if (values.TryGetValue("fanout", out var fanouts))
        {
            var list = fanouts.Split(',').Select(m => m.Trim()).ToArray();
            if (list.Length == 0 || list.Any(m => m is not ("relay" or "direct"))) throw new InputException($"--fanout takes relay and/or direct, got '{fanouts}'");
            options = options with { Fanouts = list };
        }
        if (values.TryGetValue("rate", out var rateText))
        {
            if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !(rate >= 0.01 && rate <= 1000))
                throw new InputException($"--rate must be a number of decisions per second in [0.01, 1000], got '{rateText}'");
            options = options with { Rate = rate };
        }
        return options with
        {
            Repeats = Int(values, "repeats", options.Repeats, 1, 1000),
            RepeatsGiven = values.ContainsKey("repeats"),
            Pairs = Int(values, "pairs", options.Pairs, 1, 10_000),
            Workers = Int(values, "workers", options.Workers, 1, 16),
            Seconds = Int(values, "seconds", options.Seconds, 1, 3600),
            WarmupDecisions = Int(values, "warmup", options.WarmupDecisions, 1, 10_000),
            Decisions = Int(values, "decisions", options.Decisions, 1, 1_000_000),
            Dataset = values.GetValueOrDefault("dataset", options.Dataset),
            Architecture = values.GetValueOrDefault("arch", options.Architecture),
            BatchSize = Int(values, "batch-size", options.BatchSize, 1, 60_000),
            ValidationSamples = Int(values, "validation-samples", options.ValidationSamples, 1, 60_000),
            TorchThreads = Int(values, "torch-threads", options.TorchThreads, 0, 256),
            StepsPerUpdate = Int(values, "steps-per-update", options.StepsPerUpdate, 0, 1_000_000),
            DataDir = values.GetValueOrDefault("data-dir", options.DataDir),
            ActorConfig = values.GetValueOrDefault("actor-config", options.ActorConfig),
        };
    }

    static int Int(Dictionary<string, string> values, string name, int fallback, int min, int max) =>
        values.TryGetValue(name, out var text) ? Int(name, text, min, max) : fallback;

    static int Int(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new InputException($"--{name} must be an integer in [{min}, {max}], got '{text}'");
        return value;
    }
}
