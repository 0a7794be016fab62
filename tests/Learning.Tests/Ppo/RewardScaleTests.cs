using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;

namespace Alrs.Learning.Tests.Ppo;

/// <summary>
/// The reward scale (running variance of the discounted return) and the observation statistics
/// an update normalises with must not depend on how episodes were cut into trajectories, nor on
/// which later version the learner has reached.
/// </summary>
public class RewardScaleTests
{
    /// <summary>Cuts each trajectory into pieces of <paramref name="size"/>, carrying the running discounted return across cuts as environments do.</summary>
    static Trajectory[] Cut(IEnumerable<Trajectory> episodes, int size, double gamma) =>
        episodes.SelectMany(episode =>
        {
            var pieces = new List<Trajectory>();
            double running = 0;
            for (var start = 0; start < episode.Transitions.Count; start += size)
            {
                var piece = episode.Transitions.Skip(start).Take(size).ToArray();
                pieces.Add(new Trajectory(piece, episode.BootstrapValue) { ReturnBefore = running });
                foreach (var t in piece) running = running * gamma + t.Reward;
            }
            return pieces;
        }).ToArray();

    [Fact]
    public void The_return_statistics_are_the_same_whatever_the_cut_size()
    {
        using var player = PpoTestAgents.Agent(continuous: false);
        var episodes = PpoTestAgents.Batch(player, episodes: 6);
        var gamma = PpoSettings.Reimplementation.Gamma;

        RunningMeanStd ScaleAfterUpdate(Trajectory[] batch)
        {
            using var agent = PpoTestAgents.Agent(continuous: false);
            agent.Update(batch);
            return agent.ReturnStatistics;
        }

        var whole = ScaleAfterUpdate(Cut(episodes, 10, gamma));
        var halves = ScaleAfterUpdate(Cut(episodes, 5, gamma));
        var small = ScaleAfterUpdate(Cut(episodes, 3, gamma));
        Assert.Equal(whole.Variance[0], halves.Variance[0], 9);
        Assert.Equal(whole.Variance[0], small.Variance[0], 9);

        // Without the carried return (the old behaviour) the scale would depend on the cut.
        var restarted = Cut(episodes, 3, gamma).Select(t => t with { ReturnBefore = 0 }).ToArray();
        Assert.NotEqual(whole.Variance[0], ScaleAfterUpdate(restarted).Variance[0], 6);
    }

    [Fact]
    public void A_lagging_trajectory_is_normalised_with_the_statistics_its_version_acted_with()
    {
        using var player = PpoTestAgents.Agent(continuous: false);
        var batch = PpoTestAgents.Batch(player, episodes: 4);
        var acting = new ActingStatistics(capacity: 3);

        // Version 7 acted with fresh statistics; the learner has since moved them.
        using var reference = PpoTestAgents.Agent(continuous: false);
        acting.Remember(7, reference.ObservationStatistics);
        using var learner = PpoTestAgents.Agent(continuous: false);
        learner.ObservationStatistics.Update(PpoTestAgents.Observations(50, seed: 8).Select(o => o.Select(v => v * 5 + 3).ToArray()).ToList());

        var lagging = batch.Select(t => t with { Transitions = t.Transitions.Select(x => x with { PolicyVersion = 7 }).ToArray() }).ToArray();
        var withActing = learner.Update(lagging, acting.Of);
        var blobWithActing = learner.ToBlob();

        // The same update on an agent whose current statistics are the acting ones gives the same result.
        using var matching = PpoTestAgents.Agent(continuous: false);
        var expected = matching.Update(lagging);
        Assert.Equal(expected.PolicyLoss, withActing.PolicyLoss, 6);
        Assert.Equal(expected.ValueLoss, withActing.ValueLoss, 6);

        // With the learner's moved statistics instead, the update differs.
        using var moved = PpoTestAgents.Agent(continuous: false);
        moved.ObservationStatistics.Update(PpoTestAgents.Observations(50, seed: 8).Select(o => o.Select(v => v * 5 + 3).ToArray()).ToList());
        Assert.NotEqual(expected.PolicyLoss, moved.Update(lagging).PolicyLoss, 6);
        Assert.NotEmpty(blobWithActing);
    }

    [Fact]
    public void Acting_statistics_keep_only_the_newest_versions_and_are_copies()
    {
        var acting = new ActingStatistics(capacity: 2);
        var statistics = new RunningMeanStd(1);
        for (var version = 1; version <= 3; version++)
        {
            statistics.Update(new List<float[]> { new[] { (float)version } });
            acting.Remember(version, statistics);
        }
        Assert.Null(acting.Of(1));
        Assert.NotNull(acting.Of(2));
        var three = acting.Of(3)!;
        var countBefore = three.Count;
        statistics.Update(new List<float[]> { new[] { 9f } });
        Assert.Equal(countBefore, acting.Of(3)!.Count);
    }
}
