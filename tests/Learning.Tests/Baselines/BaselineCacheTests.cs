using Alrs.Learning.Baselines;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Tests.Environments;
using Alrs.Tests.Shared;

namespace Alrs.Learning.Tests.Baselines;

public sealed class BaselineCacheTests
{
    // Other test classes change libtorch's process-wide thread count; a fixed count in the key keeps these tests about the cache.
    const int OneThread = 1;
    static readonly EnvironmentSettings Small = new() { Steps = 20, BatchSize = 64, DecisionInterval = 10, Evaluation = true };

    [Fact]
    public void A_second_collection_reads_every_run_from_the_cache_with_the_same_results()
    {
        using var temp = new TempDirectory();
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        ILearningRateSchedule[] schedules = [new ConstantSchedule(0.003), new StepDecaySchedule(0.01, 10, 0.5)];
        var fingerprint = DatasetFingerprint.Of(data);

        var first = new BaselineCache(temp.Path, fingerprint, OneThread);
        var trained = BaselineSummary.Collect(environment, schedules, [1, 2], cache: first);
        var second = new BaselineCache(temp.Path, fingerprint, OneThread);
        var reused = BaselineSummary.Collect(environment, schedules, [1, 2], cache: second);

        Assert.Equal((0, 4), (first.Reused, first.Trained));
        Assert.Equal((4, 0), (second.Reused, second.Trained));
        Assert.All(trained.Schedules, s => Assert.Equal("", s.CacheNote));
        Assert.All(reused.Schedules, s => Assert.Equal(" (cached)", s.CacheNote));
        foreach (var (a, b) in trained.Schedules.SelectMany(s => s.Runs).Zip(reused.Schedules.SelectMany(s => s.Runs)))
        {
            Assert.Same(a.Schedule, b.Schedule);
            Assert.Equal((a.Seed, a.FinalValidation, a.Test, a.Diverged, a.KeptSteps, a.ChildSteps), (b.Seed, b.FinalValidation, b.Test, b.Diverged, b.KeptSteps, b.ChildSteps));
            Assert.Equal(a.Trace, b.Trace);
        }
        Assert.Equal(4, Directory.GetFiles(temp.Path, "*.json").Length);
    }

    [Fact]
    public void A_foreign_or_damaged_file_is_a_miss_and_is_rewritten()
    {
        using var temp = new TempDirectory();
        using var data = SyntheticData.Create();
        using var environment = new LearningRateEnvironment(data, "mlp", Small);
        var fingerprint = DatasetFingerprint.Of(data);
        new BaselineCache(temp.Path, fingerprint, OneThread).Run(environment, new ConstantSchedule(0.003), 1);
        var file = Assert.Single(Directory.GetFiles(temp.Path));
        File.WriteAllText(file, "{ not json");

        var cache = new BaselineCache(temp.Path, fingerprint, OneThread);
        var run = cache.Run(environment, new ConstantSchedule(0.003), 1);

        Assert.Equal((0, 1), (cache.Reused, cache.Trained));
        Assert.False(run.FromCache);
        Assert.True(new BaselineCache(temp.Path, fingerprint, OneThread).Run(environment, new ConstantSchedule(0.003), 1).FromCache);
    }

    [Fact]
    public void The_key_changes_with_every_setting_that_shapes_a_run_and_not_with_the_controllers_own()
    {
        using var data = SyntheticData.Create();
        using var other = SyntheticData.Create(seed: 2);
        var fingerprint = DatasetFingerprint.Of(data);
        string Key(EnvironmentSettings settings, ILearningRateSchedule schedule, int seed = 1, string arch = "mlp", string? dataFingerprint = null)
        {
            using var environment = new LearningRateEnvironment(data, arch, settings);
            return new BaselineCache("unused", dataFingerprint ?? fingerprint, OneThread).KeyText(environment, schedule, seed);
        }
        var schedule = new StepDecaySchedule(0.01, 10, 0.5);
        var baseline = Key(Small, schedule);

        Assert.Equal(baseline, Key(Small, new StepDecaySchedule(0.01, 10, 0.5)));
        using (var same = SyntheticData.Create()) Assert.Equal(fingerprint, DatasetFingerprint.Of(same));
        string[] changed =
        [
            Key(Small, schedule, seed: 2),
            Key(Small, new StepDecaySchedule(0.01, 10, 0.9)),
            Key(Small, new StepDecaySchedule(0.02, 10, 0.5)),
            Key(Small, new CosineAnnealingSchedule(0.01, 20, 1e-5)),
            Key(Small, schedule, arch: "lenet5"),
            Key(Small, schedule, dataFingerprint: DatasetFingerprint.Of(other)),
            Key(Small with { Steps = 30 }, schedule),
            Key(Small with { BatchSize = 32 }, schedule),
            Key(Small with { Optimizer = ChildOptimizer.Sgd }, schedule),
            Key(Small with { Momentum = 0.5 }, schedule),
            Key(Small with { MinLearningRate = 1e-4 }, schedule),
            Key(Small with { MaxLearningRate = 0.05 }, schedule),
            Key(Small with { ValidationSamples = 100 }, schedule),
            Key(Small with { Evaluation = false }, schedule),
        ];
        using (var environment = new LearningRateEnvironment(data, "mlp", Small))
            changed = [.. changed, new BaselineCache("unused", fingerprint, torchThreads: 2).KeyText(environment, schedule, 1)];
        Assert.All(changed, key => Assert.NotEqual(baseline, key));
        Assert.Equal(changed.Length, changed.Distinct().Count());
        // What only a controller reads leaves the baselines shared between controllers.
        Assert.Equal(baseline, Key(Small with { Observation = ObservationFeatures.ReimplementationLog, ObserveProgress = true, Action = ActionMappings.Continuous, ActionFactor = 1.2, Reward = RewardMode.Final, Seed = 7 }, schedule));
        // The build is part of the key.
        Assert.Contains(typeof(BaselineCache).Assembly.ManifestModule.ModuleVersionId.ToString(), baseline);
    }
}
