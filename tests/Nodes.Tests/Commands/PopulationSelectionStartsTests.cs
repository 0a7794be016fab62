using Alrs.Learning.Environments;
using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

/// <summary>Which starts selection runs a controller from (the rest of selection: PopulationTrainTests).</summary>
public sealed class PopulationSelectionStartsTests
{
    static readonly double[] Starts = [0.01, 0.001, 0.0001];

    [Fact]
    public void A_residual_controller_runs_once_because_it_starts_where_its_base_schedule_does()
    {
        var residual = new ControllerSpec("log", true, ActionMappings.Residual, 4, RewardMode.Improvement, "knee(lr=0.01,explore=0.3,warmup=0.05,min=1E-05)");
        Assert.Equal([0.01], PopulationSelection.StartsFor(residual, Starts));
    }

    [Theory]
    [InlineData(ActionMappings.Discrete)]
    [InlineData(ActionMappings.LogContinuous)]
    [InlineData(ActionMappings.MultiFactor)]
    public void Every_other_controller_runs_from_every_start(string action) =>
        Assert.Equal(Starts, PopulationSelection.StartsFor(new ControllerSpec("log", true, action, 4, RewardMode.Improvement), Starts));

    [Fact]
    public void A_policy_without_a_recorded_spec_runs_from_every_start() =>
        Assert.Equal(Starts, PopulationSelection.StartsFor(null, Starts));
}
