using System.Globalization;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Baselines;

/// <summary>
/// Hypergradient descent from <see cref="Initial"/> with hyper-rate <see cref="Beta"/>: the
/// rate changes at every child step by β times the dot product of the current gradient and
/// the previous update direction (<see cref="HypergradientDescent"/>). A cheap online
/// comparator: no extra child steps.
/// </summary>
public sealed record HypergradientSchedule(double Initial, double Beta) : ILearningRateSchedule
{
    public string Family => "hypergradient";
    public string Name => string.Create(CultureInfo.InvariantCulture, $"hypergradient(lr={Initial:G},beta={Beta:G})");

    public IScheduleEpisode Begin(LearningRateEnvironment environment) => new Episode(environment, this);

    sealed class Episode(LearningRateEnvironment environment, HypergradientSchedule schedule) : IScheduleEpisode
    {
        readonly HypergradientDescent _rule = new(schedule.Initial, schedule.Beta, environment.Settings.MinLearningRate, environment.Settings.MaxLearningRate);

        public StepResult Advance()
        {
            var result = environment.StepAdapting(_ => _rule.Next(environment.Network!.parameters()));
            if (result.Done) _rule.Dispose();
            return result;
        }
    }
}
