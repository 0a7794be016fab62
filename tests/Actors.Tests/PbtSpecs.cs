using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Ppo;

namespace Alrs.Actors.Tests;

/// <summary>
/// Population-based training's pure parts: the quantile rule, exploration within the bounds,
/// the configuration's validation, and the agent an exploit continues with.
/// </summary>
public sealed class PbtSpecs
{
    [Theory]
    [InlineData(1, 0.25, 0)]
    [InlineData(2, 0.25, 1)]
    [InlineData(3, 0.25, 1)]
    [InlineData(4, 0.25, 1)]
    [InlineData(5, 0.25, 2)]
    [InlineData(8, 0.25, 2)]
    [InlineData(3, 0.5, 1)]
    [InlineData(10, 0.3, 3)]
    [InlineData(64, 0.01, 1)]
    public void The_quantiles_hold_ceil_n_times_q_controllers_at_least_one_and_at_most_half(int ranked, double quantile, int expected) =>
        Assert.Equal(expected, PopulationBasedTraining.QuantileSize(ranked, quantile));

    [Fact]
    public void Controllers_are_ranked_by_mean_return_worst_first_and_unscored_ones_are_left_out()
    {
        var (bottom, top) = PopulationBasedTraining.Quantiles([(0, -3.0), (1, -9.0), (2, double.NaN), (3, -1.0), (4, -5.0)], 0.25);

        Assert.Equal([1], bottom);
        Assert.Equal([3], top);
        // Equal means: the lower id ranks higher.
        var (tiedBottom, tiedTop) = PopulationBasedTraining.Quantiles([(0, -2.0), (1, -2.0), (2, -2.0)], 0.25);
        Assert.Equal([2], tiedBottom);
        Assert.Equal([0], tiedTop);
        Assert.Empty(PopulationBasedTraining.Quantiles([(0, -2.0)], 0.25).Bottom);
    }

    static readonly IReadOnlyDictionary<string, double> Reference = PbtHyperparameters.Of(PpoSettings.Reimplementation);

    [Fact]
    public void Explored_values_stay_within_their_bounds_over_many_seeds_and_are_perturbed_or_resampled_as_configured()
    {
        var settings = new PbtSettings
        {
            Explore = [new(PbtHyperparameters.LearningRate, 1e-3, 4e-3), new(PbtHyperparameters.EntropyCoefficient, 0.01, 0.2)],
        };
        var resampled = 0;
        var draws = 0;
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            // Sources inside, at the edge of and outside the bounds (a run's starting values may be).
            var source = new Dictionary<string, double>(Reference)
            {
                [PbtHyperparameters.LearningRate] = new[] { 3e-3, 4e-3, 1e-3, 1e-2, 1e-5 }[seed % 5],
                [PbtHyperparameters.EntropyCoefficient] = new[] { 0.1, 0.0, 0.2, 0.5, 0.011 }[seed % 5],
            };
            var (values, perturbation) = PopulationBasedTraining.Explore(source, settings, random);

            foreach (var bound in settings.Explore)
            {
                var value = values[bound.Key];
                Assert.InRange(value, bound.Min, bound.Max);
                draws++;
                if (perturbation.Contains($"{bound.Key} resampled"))
                {
                    resampled++;
                    continue;
                }
                var factor = perturbation.Contains($"{bound.Key} ×0.8") ? 0.8 : 1.2;
                Assert.Contains($"{bound.Key} ×{(factor == 0.8 ? "0.8" : "1.2")}", perturbation);
                Assert.Equal(Math.Clamp(source[bound.Key] * factor, bound.Min, bound.Max), value);
            }
            // What is not explored is kept.
            Assert.Equal(source[PbtHyperparameters.ClipCoefficient], values[PbtHyperparameters.ClipCoefficient]);
        }
        // Resampled with probability 0.25 (4000 draws: 3 standard deviations is about ±0.02).
        Assert.InRange(resampled / (double)draws, 0.22, 0.28);
    }

    [Fact]
    public void Resample_probability_zero_only_perturbs_and_one_only_resamples()
    {
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var (perturbed, how) = PopulationBasedTraining.Explore(Reference, new PbtSettings { ResampleProbability = 0 }, random);
            Assert.DoesNotContain("resampled", how);
            var ratio = perturbed[PbtHyperparameters.ClipCoefficient] / Reference[PbtHyperparameters.ClipCoefficient];
            Assert.True(Math.Abs(ratio - 0.8) < 1e-12 || Math.Abs(ratio - 1.2) < 1e-12, $"ratio {ratio}");

            var (resampled, again) = PopulationBasedTraining.Explore(Reference, new PbtSettings { ResampleProbability = 1 }, random);
            Assert.Equal(3, again.Split("resampled").Length - 1);
            Assert.All(new PbtSettings().Explore, b => Assert.InRange(resampled[b.Key], b.Min, b.Max));
        }
    }

    static Config Configuration(string population) => ConfigurationFactory.ParseString(population)
        .WithFallback(ConfigurationFactory.ParseString("""
            alrs.env { action-factor = 1.05, steps = 50 }
            alrs.ppo { clip-coefficient = 0.2, learning-rate = 0.0003, entropy-coefficient = 0.1, actor-hidden = [32, 32] }
            """))
        .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(TestRun.HoconDirectory, "population.hocon"))));

    [Fact]
    public void The_shipped_pbt_settings_are_ray_tunes_defaults_and_select_stays_the_default_mode()
    {
        var shipped = PopulationSettings.FromConfig(Configuration("alrs.population.controllers = 3"));
        Assert.Equal(PopulationSettings.SelectMode, shipped.Mode);
        Assert.False(shipped.IsPbt);

        var population = PopulationSettings.FromConfig(Configuration("alrs.population { controllers = 3, mode = pbt }"));
        Assert.True(population.IsPbt);
        Assert.Equal(10, population.Pbt.IntervalUpdates);
        Assert.Equal(0.25, population.Pbt.Quantile);
        Assert.Equal(0.25, population.Pbt.ResampleProbability);
        Assert.Equal(["learning-rate", "clip-coefficient", "entropy-coefficient"], population.Pbt.Explore.Select(b => b.Key));
        Assert.Equal(new PbtBound("learning-rate", 0.0001, 0.03), population.Pbt.Explore[0]);

        var narrowed = PopulationSettings.FromConfig(Configuration("""
            alrs.population { controllers = 4, mode = pbt, pbt { interval-updates = 3, quantile = 0.5, explore = [clip-coefficient], bounds.clip-coefficient = [0.1, 0.3] } }
            alrs.population.variants = [{ ppo.clip-coefficient = 0.1 }, {}, {}, { ppo.clip-coefficient = 0.3 }]
            """));
        Assert.Equal(3, narrowed.Pbt.IntervalUpdates);
        Assert.Equal([new PbtBound("clip-coefficient", 0.1, 0.3)], narrowed.Pbt.Explore);
    }

    [Theory]
    [InlineData("mode = tune", "alrs.population.mode must be select or pbt, got 'tune'")]
    [InlineData("controllers = 1, mode = pbt", "alrs.population.mode = pbt needs a population")]
    [InlineData("mode = pbt, pbt.interval-updates = 0", "alrs.population.pbt.interval-updates must be a whole number of updates, at least 1, got 0")]
    [InlineData("mode = pbt, pbt.interval-updates = 2.5", "interval-updates must be a whole number")]
    [InlineData("mode = pbt, pbt.quantile = 0", "alrs.population.pbt.quantile must be in (0, 0.5]")]
    [InlineData("mode = pbt, pbt.quantile = 0.6", "alrs.population.pbt.quantile must be in (0, 0.5]")]
    [InlineData("mode = pbt, pbt.resample-probability = 1.5", "alrs.population.pbt.resample-probability must be in [0, 1]")]
    [InlineData("mode = pbt, pbt.bounds.learning-rate = [0.01, 0.001]", "alrs.population.pbt.bounds.learning-rate must be [min, max] with 0 < min < max: min 0.01 is not below max 0.001 (bounds inverted?)")]
    [InlineData("mode = pbt, pbt.bounds.clip-coefficient = [0, 0.3]", "the min must be positive")]
    [InlineData("mode = pbt, pbt.bounds.clip-coefficient = [0.1]", "alrs.population.pbt.bounds.clip-coefficient must be [min, max]")]
    [InlineData("mode = pbt, pbt.explore = [gamma]", "alrs.population.pbt.explore: gamma cannot be explored")]
    [InlineData("mode = pbt, pbt.explore = [learning-rate, learning-rate]", "names learning-rate twice")]
    [InlineData("mode = pbt, pbt.explore = []", "must name at least one")]
    [InlineData("mode = pbt, variants = [{ env.action-factor = 2 }, {}, {}]", "alrs.population.variants[0]: env.action-factor may not differ between controllers in pbt mode")]
    [InlineData("mode = pbt, pbt.explore = [learning-rate], variants = [{}, { ppo.clip-coefficient = 0.1 }, {}]", "variants[1]: ppo.clip-coefficient may not differ")]
    public void A_bad_pbt_setting_is_refused_in_one_line_naming_it(string population, string expected)
    {
        var config = Configuration($"alrs.population {{ controllers = 3, {population} }}");

        var error = Assert.Throws<InputException>(() => PopulationSettings.FromConfig(config));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_retuned_agent_keeps_the_learned_state_bit_for_bit_under_new_hyperparameters_and_its_own_seed()
    {
        using var source = TestRun.NewAgent(seed: 5);
        // One update, so the weights, statistics and Adam moments are not those of a fresh agent.
        source.Update(TrajectoryAssembler.Assemble([[TestRun.Fragment("env-0", 0, 0, 0), TestRun.Fragment("env-0", 0, 1, 0, endsEpisode: true)]]));
        var hyperparameters = new Dictionary<string, double> { ["learning-rate"] = 0.0042, ["entropy-coefficient"] = 0.02 };

        using var retuned = source.Retuned(PbtHyperparameters.Apply(source.Settings, hyperparameters), seed: 9);

        Assert.Equal(PolicyBlob.LearnedState(source), PolicyBlob.LearnedState(retuned));
        Assert.Equal(0.0042, retuned.Settings.LearningRate);
        Assert.Equal(0.02, retuned.Settings.EntropyCoefficient);
        Assert.Equal(source.Settings.ClipCoefficient, retuned.Settings.ClipCoefficient);
        Assert.Equal(9, retuned.Seed);
        Assert.Equal(source.Updates, retuned.Updates);
        // Through a blob too: what the store keeps.
        using var stored = PpoAgent.FromBlob(retuned.ToBlob());
        Assert.Equal(PolicyBlob.LearnedState(source), PolicyBlob.LearnedState(stored));
        Assert.Equal(0.0042, stored.Settings.LearningRate);
        // Other networks cannot be retuned into.
        Assert.Throws<ArgumentException>(() => source.Retuned(source.Settings with { ActorHidden = [8] }, 9));
    }
}
