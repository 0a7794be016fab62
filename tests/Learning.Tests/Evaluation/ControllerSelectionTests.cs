using Alrs.Learning.Evaluation;

namespace Alrs.Learning.Tests.Evaluation;

public sealed class ControllerSelectionTests
{
    static ControllerCandidate Candidate(int controller, params double[] losses) =>
        new(controller, 7 + controller, "", 40 + controller, losses.Select((l, i) => new SelectionStart(Math.Pow(10, -2 - i), l)).ToArray());

    [Fact]
    public void The_lowest_mean_validation_loss_over_the_starts_wins()
    {
        // Controller 1 is best from one start but worst on average.
        var chosen = ControllerSelection.Choose([Candidate(0, 0.12, 0.10, 0.11), Candidate(1, 0.09, 0.20, 0.16), Candidate(2, 0.11, 0.10, 0.10)]);
        Assert.Equal(2, chosen.Controller);
        Assert.Equal((0.11 + 0.10 + 0.10) / 3, chosen.SelectionLoss, 12);
    }

    [Fact]
    public void A_diverged_start_is_never_chosen_over_finite_losses()
    {
        var chosen = ControllerSelection.Choose([Candidate(0, double.NaN, 0.01), Candidate(1, 2.5, 2.5)]);
        Assert.Equal(1, chosen.Controller);
        Assert.Equal(double.PositiveInfinity, Candidate(0, double.PositiveInfinity, 0.01).SelectionLoss);
    }

    [Fact]
    public void The_choice_depends_only_on_the_summaries_ties_going_to_the_lowest_id()
    {
        ControllerCandidate[] candidates = [Candidate(2, 0.2, 0.1), Candidate(0, 0.3, 0.3), Candidate(1, 0.1, 0.2)];
        var orders = new[] { candidates, candidates.Reverse().ToArray(), [candidates[1], candidates[2], candidates[0]] };
        Assert.All(orders, order => Assert.Equal(1, ControllerSelection.Choose(order).Controller));
        Assert.Throws<ArgumentException>(() => ControllerSelection.Choose([]));
    }
}
