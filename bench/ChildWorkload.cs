using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Bench;

/// <summary>
/// The child-training workload every throughput benchmark measures: a real data set loaded
/// once and shared, learning-rate environments at the reference settings (mnist-mlp preset:
/// Adam, batch 1000, a decision every 10 steps, 10,000 validation images, initial rate drawn
/// from {1e-2, 1e-3, 1e-4}) and the reference PPO controller.
/// </summary>
public sealed class ChildWorkload : IDisposable
{
    readonly DatasetSplits _data;

    ChildWorkload(DatasetSplits data, string architecture, EnvironmentSettings settings)
    {
        _data = data;
        Architecture = architecture;
        Settings = settings;
        ObservationSize = settings.Features().Size;
        ActionSpace = ActionMappings.For(settings).Space;
    }

    public string Architecture { get; }
    public EnvironmentSettings Settings { get; }
    public int ObservationSize { get; }
    public ActionSpace ActionSpace { get; }
    public string DatasetName => _data.Name;
    public int ChildStepsPerDecision => Settings.DecisionInterval;

    public static ChildWorkload Load(BenchOptions options, TextWriter log)
    {
        var dataset = DatasetInfo.Parse(options.Dataset);
        var dataDir = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataDir) ? DataDirectory.Default : options.DataDir);
        log.WriteLine($"workload: loading {dataset.Name} from {dataDir} ...");
        var data = DatasetLoader.Load(dataset, dataDir);
        var settings = new EnvironmentSettings
        {
            BatchSize = options.BatchSize,
            ValidationSamples = options.ValidationSamples,
            InitialLearningRateChoices = [1e-2, 1e-3, 1e-4],
        }.Validate();
        var workload = new ChildWorkload(data, options.Architecture, settings);
        log.WriteLine($"workload: {data.Name}/{options.Architecture}, batch {settings.BatchSize}, {settings.DecisionInterval} child steps per decision, " +
                      $"{settings.ValidationSamples} validation images per decision, {settings.Steps} steps per episode; PPO {workload.ObservationSize} observations, {workload.ActionSpace}");
        return workload;
    }

    /// <summary>A fresh environment counting its decisions on <paramref name="meter"/>.</summary>
    public ILearningEnvironment CreateEnvironment(DecisionMeter meter) =>
        new CountingEnvironment(new LearningRateEnvironment(_data, Architecture, Settings), meter);

    /// <summary>A fresh controller, as the learner creates it.</summary>
    public PpoAgent CreateAgent(int seed = 0) => new(PpoSettings.Reimplementation, ObservationSize, ActionSpace, seed);

    /// <summary>
    /// The shipped actors.hocon and persistence.hocon (copied beside the binary) with the
    /// environment count, torch threads and learner batch of a benchmark run, under
    /// <paramref name="overrides"/> (HOCON, --actor-config) when given.
    /// </summary>
    public static Config ActorConfig(int environments, int torchThreads, int stepsPerUpdate, string overrides = "")
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "hocon");
        var config = ConfigurationFactory.ParseString($"""
            alrs.actors.environments.count = {environments}
            alrs.actors.environments.torch-threads = {torchThreads}
            alrs.actors.learner.steps-per-update = {stepsPerUpdate}
            akka.loglevel = WARNING
            """);
        foreach (var file in new[] { "persistence.hocon", "actors.hocon" })
            config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(directory, file))));
        if (string.IsNullOrWhiteSpace(overrides)) return config;
        try
        {
            return ConfigurationFactory.ParseString(overrides).WithFallback(config);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InputException($"--actor-config is not HOCON: {e.Message}");
        }
    }

    public void Dispose() => _data.Dispose();
}
