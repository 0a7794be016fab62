using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Turns buffered fragments into PPO trajectories: consecutive fragments of one episode
/// (sequence n, n+1, ...) are joined so GAE runs across the cut; a gap (a fragment dropped
/// as stale) splits the episode, each part bootstrapped by its last fragment.
/// </summary>
public static class TrajectoryAssembler
{
    public static IReadOnlyList<Trajectory> Assemble(IEnumerable<IEnumerable<TrajectoryFragment>> episodes)
    {
        var trajectories = new List<Trajectory>();
        foreach (var episode in episodes)
        {
            List<Transition>? run = null;
            TrajectoryFragment? first = null, previous = null;
            foreach (var fragment in episode.OrderBy(f => f.Sequence))
            {
                if (run is not null && previous is not null && fragment.Sequence != previous.Sequence + 1)
                {
                    trajectories.Add(new Trajectory(run, previous.BootstrapValue) { ReturnBefore = first!.DiscountedReturnBefore });
                    run = null;
                }
                if (run is null) (run, first) = ([], fragment);
                run.AddRange(fragment.Decisions.Select(d => ToTransition(d, fragment.PolicyVersion)));
                previous = fragment;
            }
            if (run is { Count: > 0 } && previous is not null)
                trajectories.Add(new Trajectory(run, previous.EndsEpisode ? 0f : previous.BootstrapValue) { ReturnBefore = first!.DiscountedReturnBefore });
        }
        return trajectories;
    }

    public static Transition ToTransition(DecisionRecord d, long policyVersion) =>
        new(d.Observation, d.Action, d.LogProb, d.Value, d.Reward, d.Done) { PolicyVersion = policyVersion };
}
