using Alrs.Learning.Baselines;
using Alrs.Learning.Environments;

namespace Alrs.Learning.Tests.Environments;

/// <summary>The log-space, multi-factor and residual actions, and the features that go with them.</summary>
public class StrongActionTests
{
    [Fact]
    public void Log_continuous_action_is_centred_on_keep_and_clipped_to_the_factor()
    {
        var actions = ActionMappings.Create(ActionMappings.LogContinuous, 4);
        Assert.False(actions.Space.IsDiscrete);
        Assert.Equal(-Math.Log(4), actions.Space.Low, 6);
        Assert.Equal(Math.Log(4), actions.Space.High, 6);
        Assert.Equal(0, (actions.Space.Low + actions.Space.High) / 2, 6);      // the Gaussian's centre is "keep"
        Assert.Equal(1e-3, actions.Apply(1e-3, [0f]), 15);
        Assert.Equal(1e-3 * Math.E, actions.Apply(1e-3, [1f]), 9);
        Assert.Equal(4e-3, actions.Apply(1e-3, [5f]), 9);
        Assert.Equal(2.5e-4, actions.Apply(1e-3, [-5f]), 9);
    }

    [Fact]
    public void Multi_factor_action_has_seven_log_spaced_choices_around_keep()
    {
        var actions = ActionMappings.Create(ActionMappings.MultiFactor, 4);
        Assert.True(actions.Space.IsDiscrete);
        Assert.Equal(7, actions.Space.Size);
        var multipliers = Enumerable.Range(0, 7).Select(i => actions.Apply(1.0, [i])).ToArray();
        Assert.Equal(0.25, multipliers[0], 9);
        Assert.Equal(1.0, multipliers[MultiFactorActions.Keep], 12);
        Assert.Equal(4.0, multipliers[6], 9);
        for (var i = 1; i < 7; i++) Assert.Equal(Math.Pow(4, 1.0 / 3), multipliers[i] / multipliers[i - 1], 9);
        Assert.Throws<ArgumentException>(() => actions.Apply(1.0, [7]));
    }

    [Fact]
    public void Residual_action_needs_a_parsable_base_and_scales_it()
    {
        var error = Assert.Throws<InputException>(() => new EnvironmentSettings { Action = ActionMappings.Residual }.Validate());
        Assert.Contains("residual-base", error.Message);
        var bad = Assert.Throws<InputException>(() => new EnvironmentSettings { Action = ActionMappings.Residual, ResidualBase = "knee(lr=0.01,explore=0.3)" }.Validate());
        Assert.Contains("missing warmup=", bad.Message);

        var settings = new EnvironmentSettings { Steps = 300, Action = ActionMappings.Residual, ActionFactor = 4, ResidualBase = MnistKnee };
        var residual = Assert.IsType<ResidualActions>(ActionMappings.For(settings));
        Assert.Equal(new KneeSchedule(0.01, 300, 0.3, 0.05, 1e-5), residual.Base);
        Assert.Equal(1.0, residual.Multiplier([0f]), 12);
        Assert.Equal(4.0, residual.Multiplier([9f]), 9);
        Assert.Equal(residual.Base.At(0), residual.InitialRate);
    }

    [Theory]
    [InlineData("knee(lr=0.01,explore=0.3,warmup=0.05,min=1E-05)")]
    [InlineData("cosine(lr=0.01,min=1E-05)")]
    [InlineData("step-decay(lr=0.01,every=50,factor=0.7)")]
    [InlineData("constant(lr=0.001)")]
    public void Schedule_names_that_the_baselines_print_parse_back_to_the_same_schedule(string name)
    {
        var schedule = FixedScheduleName.Parse(name, 300);
        Assert.Equal(name, schedule.Name);
    }

    [Fact]
    public void Unparsable_schedule_names_are_refused_with_the_reason()
    {
        Assert.Contains("unknown family 'hypergradient'", Assert.Throws<InputException>(() => FixedScheduleName.Parse("hypergradient(lr=0.01,beta=1E-07)", 300)).Message);
        Assert.Contains("'lr=x' is not key=number", Assert.Throws<InputException>(() => FixedScheduleName.Parse("constant(lr=x)", 300)).Message);
        Assert.Contains("explore fraction", Assert.Throws<InputException>(() => FixedScheduleName.Parse("knee(lr=0.01,explore=2,warmup=0,min=1E-05)", 300)).Message);
    }

    [Fact]
    public void Log_features_have_no_sentinel_at_reset_and_flag_it()
    {
        var features = ObservationFeatures.Create(ObservationFeatures.Log);
        var atReset = features.Observe(Measurement(hasChange: false));
        var later = features.Observe(Measurement(hasChange: true));
        Assert.Equal(8, features.Size);
        Assert.Equal(0f, atReset[3]);
        Assert.Equal(1f, atReset[7]);
        Assert.Equal(0f, later[7]);
        Assert.Equal(Math.Log(1e-4), later[3], 4);
        Assert.Equal(Math.Log(0.3), later[0], 5);
        Assert.Equal(Math.Log(0.25), later[1], 5);
        Assert.All(atReset, v => Assert.True(v > -20, $"feature {v} looks like a sentinel"));
    }

    // The knee schedules selected on seed 100 (docs/results/selection): the MNIST-MLP ablation's and Fashion-MNIST LeNet-5's.
    const string MnistKnee = "knee(lr=0.01,explore=0.3,warmup=0.05,min=1E-05)";
    const string FashionKnee = "knee(lr=0.01,explore=0.7,warmup=0.05,min=1E-05)";

    /// <summary>
    /// The best path each action can draw towards the selected knee schedules (dynamic programming
    /// over a log-rate grid, 30 decisions of 10 steps from each start) and its mean gap
    /// |ln rate − ln knee| per step, over the whole episode and (a separate optimum) over the
    /// knee's decay phase alone. It shows why the ×1.2 actions cannot express the knee (they can
    /// neither climb from 1e-4 in time nor fall ×1000 in the last decisions) and that the
    /// log-space actions can.
    /// </summary>
    [Theory]
    [InlineData(ActionMappings.Discrete, 1.2, MnistKnee, 0.0001, 1.5, 9, 0, 9)]
    [InlineData(ActionMappings.Discrete, 1.2, FashionKnee, 0.01, 0.12, 9, 0.3, 9)]
    [InlineData(ActionMappings.Continuous, 1.2, FashionKnee, 0.001, 0.4, 9, 0.3, 9)]
    [InlineData(ActionMappings.LogContinuous, 4.0, MnistKnee, 0.01, 0, 0.1, 0, 0.15)]
    [InlineData(ActionMappings.LogContinuous, 4.0, MnistKnee, 0.0001, 0, 0.2, 0, 0.15)]
    [InlineData(ActionMappings.LogContinuous, 4.0, FashionKnee, 0.001, 0, 0.1, 0, 0.2)]
    [InlineData(ActionMappings.MultiFactor, 4.0, MnistKnee, 0.001, 0, 0.15, 0, 0.2)]
    [InlineData(ActionMappings.MultiFactor, 4.0, FashionKnee, 0.0001, 0, 0.25, 0, 0.35)]
    public void Best_reachable_path_to_the_selected_knee(string kind, double factor, string knee, double start,
        double minGap, double maxGap, double minDecayGap, double maxDecayGap)
    {
        var target = (KneeSchedule)FixedScheduleName.Parse(knee, 300);
        var actions = ActionMappings.Create(kind, factor);
        var gap = ReachableGap(actions, target, start, fromStep: 0);
        var decayGap = ReachableGap(actions, target, start, fromStep: target.DecayStart);
        Console.WriteLine($"{kind} x{factor} from {start} to {knee}: mean |ln lr - ln knee| = {gap:F3} over the episode, {decayGap:F3} over the decay");
        Assert.InRange(gap, minGap, maxGap);
        Assert.InRange(decayGap, minDecayGap, maxDecayGap);
    }

    [Fact]
    public void Residual_action_draws_the_knee_exactly_with_zero_actions()
    {
        var settings = new EnvironmentSettings { Steps = 300, Action = ActionMappings.Residual, ActionFactor = 4, ResidualBase = FashionKnee };
        var residual = (ResidualActions)ActionMappings.For(settings);
        var target = FixedScheduleName.Parse(FashionKnee, 300);
        for (var t = 0; t < 300; t++) Assert.Equal(target.At(t), residual.Apply(residual.Base.At(t), [0f]));
    }

    /// <summary>
    /// Minimum over action sequences of the mean per-step |ln rate − ln target| over the steps from
    /// <paramref name="fromStep"/> on; rates clipped to [1e-5, 1e-1] like the environment's.
    /// </summary>
    static double ReachableGap(IActionMapping actions, IFixedSchedule target, double start, int fromStep, int decisions = 30, int interval = 10)
    {
        const double Low = 1e-5, High = 1e-1, Cell = 0.005;
        var lnLow = Math.Log(Low);
        var cells = (int)Math.Ceiling((Math.Log(High) - lnLow) / Cell) + 1;
        int CellOf(double rate) => (int)Math.Round((Math.Log(Math.Clamp(rate, Low, High)) - lnLow) / Cell);
        var choices = actions.Space.IsDiscrete
            ? Enumerable.Range(0, actions.Space.Size).Select(i => new[] { (float)i }).ToArray()
            : Enumerable.Range(0, 201).Select(i => new[] { actions.Space.Low + (actions.Space.High - actions.Space.Low) * i / 200f }).ToArray();
        // Where each choice leads from each cell, and each interval's gap at each cell: computed once.
        var moves = Enumerable.Range(0, cells)
            .Select(c => choices.Select(choice => CellOf(actions.Apply(Math.Exp(lnLow + c * Cell), choice))).Distinct().ToArray()).ToArray();
        var gaps = new double[decisions, cells];
        for (var k = 0; k < decisions; k++)
            for (var c = 0; c < cells; c++)
                for (var t = Math.Max(k * interval, fromStep); t < (k + 1) * interval; t++)
                    gaps[k, c] += Math.Abs(lnLow + c * Cell - Math.Log(Math.Clamp(target.At(t), Low, High)));

        // cost[c]: the least summed gap of a path that is at cell c after the decisions so far.
        var cost = Enumerable.Repeat(double.PositiveInfinity, cells).ToArray();
        cost[CellOf(start)] = 0;
        for (var k = 0; k < decisions; k++)
        {
            var next = Enumerable.Repeat(double.PositiveInfinity, cells).ToArray();
            for (var c = 0; c < cells; c++)
            {
                if (double.IsPositiveInfinity(cost[c])) continue;
                foreach (var to in moves[c]) next[to] = Math.Min(next[to], cost[c] + gaps[k, to]);
            }
            cost = next;
        }
        return cost.Min() / (decisions * interval - fromStep);
    }

    static DecisionMeasurement Measurement(bool hasChange) =>
        new(TrainLoss: 0.3, ValidationLoss: 0.25, ValidationAccuracy: 0.9, PredictionVariance: 2.0, PredictionChangeVariance: hasChange ? 1e-4 : 0,
            HasPredictionChange: hasChange, OutputWeightMean: 0.01, OutputWeightVariance: 0.002, FirstWeightMean: 0, FirstWeightVariance: 0,
            SecondWeightMean: 0, SecondWeightVariance: 0, LearningRate: 1e-3, Progress: 0.5);
}
