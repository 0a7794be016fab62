namespace Alrs.Learning.Baselines;

/// <summary>One schedule's runs over all seeds, with means and (population) standard deviations.</summary>
public sealed record ScheduleSummary(ILearningRateSchedule Schedule, IReadOnlyList<BaselineRun> Runs)
{
    public double MeanValidationLoss => Mean(r => r.FinalValidation.Loss);
    public double MeanTestLoss => Mean(r => r.Test.Loss);
    public double StdTestLoss => Std(r => r.Test.Loss);
    public double MeanTestAccuracy => Mean(r => r.Test.Accuracy);
    public double StdTestAccuracy => Std(r => r.Test.Accuracy);
    /// <summary>Mean child steps of the kept trajectory.</summary>
    public double MeanKeptSteps => Mean(r => r.KeptSteps);
    /// <summary>Mean child steps trained, probes included: the compute a table at equal compute compares.</summary>
    public double MeanChildSteps => Mean(r => r.ChildSteps);
    /// <summary>Runs read from a <see cref="BaselineCache"/>.</summary>
    public int CachedRuns => Runs.Count(r => r.FromCache);

    /// <summary>"" when trained here, " (cached)" when every run came from the cache, " (cached k/n)" for some.</summary>
    public string CacheNote => CachedRuns == 0 ? "" : CachedRuns == Runs.Count ? " (cached)" : $" (cached {CachedRuns}/{Runs.Count})";

    /// <summary>Selection key: mean final validation loss, diverged or non-finite runs last.</summary>
    public double SelectionLoss => double.IsFinite(MeanValidationLoss) ? MeanValidationLoss : double.PositiveInfinity;

    double Mean(Func<BaselineRun, double> value) => Runs.Average(value);

    double Std(Func<BaselineRun, double> value)
    {
        var mean = Mean(value);
        return Math.Sqrt(Runs.Average(r => (value(r) - mean) * (value(r) - mean)));
    }
}

/// <summary>
/// Every schedule's summary, and per family the best one by mean final validation loss
/// (the reimplementation's selection rule).
/// </summary>
public sealed record BaselineSummary(IReadOnlyList<ScheduleSummary> Schedules)
{
    public ScheduleSummary? BestOf(string family) =>
        Schedules.Where(s => s.Schedule.Family == family).OrderBy(s => s.SelectionLoss).FirstOrDefault();

    /// <summary>The rows worth a table: every constant, then the best of each other family present.</summary>
    public IReadOnlyList<(string Label, ScheduleSummary Summary)> Highlights()
    {
        var rows = Schedules.Where(s => s.Schedule.Family == BaselineGrid.Constant).Select(s => (s.Schedule.Name, s)).ToList();
        foreach (var family in BaselineGrid.AllFamilies.Skip(1))
            if (BestOf(family) is { } best) rows.Add(($"best {best.Schedule.Name}", best));
        return rows;
    }

    /// <summary>
    /// Runs every schedule on every seed, or reads the run from <paramref name="cache"/> when it
    /// holds it; <paramref name="progress"/> hears about each finished run.
    /// </summary>
    public static BaselineSummary Collect(
        Environments.LearningRateEnvironment environment, IReadOnlyList<ILearningRateSchedule> schedules, IReadOnlyList<int> seeds,
        Action<int, int, BaselineRun>? progress = null, CancellationToken cancellation = default, BaselineCache? cache = null)
    {
        var total = schedules.Count * seeds.Count;
        var done = 0;
        var summaries = new List<ScheduleSummary>();
        foreach (var schedule in schedules)
        {
            var runs = new List<BaselineRun>();
            foreach (var seed in seeds)
            {
                var run = cache is null ? BaselineRunner.Run(environment, schedule, seed, cancellation) : cache.Run(environment, schedule, seed, cancellation);
                runs.Add(run);
                progress?.Invoke(++done, total, run);
            }
            summaries.Add(new ScheduleSummary(schedule, runs));
        }
        return new BaselineSummary(summaries);
    }
}
