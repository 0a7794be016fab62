using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Checks a trajectory fragment before it may reach the PPO update: one bad transition would
/// make every update throw (or poison the weights with NaN). A fragment is malformed when it
/// is empty, an observation has the wrong length, a value is not finite, an action is outside
/// the policy's action space, it claims a policy version the learner has not published yet, or
/// it was played by another <paramref name="controller"/> of a population (its version numbers
/// and weights are that controller's, never this learner's).
/// </summary>
public sealed class FragmentValidator(int observationSize, ActionSpace actionSpace, int controller = 0)
{
    /// <summary>What is wrong with <paramref name="fragment"/>, or null when it may be used.</summary>
    public string? Problem(TrajectoryFragment fragment, long newestPublishedVersion)
    {
        if (fragment.Controller != controller) return $"it was played by controller {fragment.Controller}, this learner is controller {controller}";
        if (fragment.PolicyVersion > newestPublishedVersion)
            return $"policy version {fragment.PolicyVersion} is from the future (newest published: {newestPublishedVersion})";
        if (fragment.Decisions.Count == 0) return "no decisions";
        if (!float.IsFinite(fragment.BootstrapValue)) return $"bootstrap value {fragment.BootstrapValue} is not finite";
        for (var i = 0; i < fragment.Decisions.Count; i++)
            if (Problem(fragment.Decisions[i]) is { } problem) return $"decision {i}: {problem}";
        return null;
    }

    string? Problem(DecisionRecord d)
    {
        if (d.Observation.Length != observationSize) return $"an observation has {d.Observation.Length} values, expected {observationSize}";
        if (!d.Observation.All(float.IsFinite)) return "an observation holds a non-finite value";
        if (d.Action.Length != actionSpace.Dimensions) return $"an action has {d.Action.Length} values, expected {actionSpace.Dimensions}";
        var action = d.Action[0];
        if (!float.IsFinite(action)) return $"action {action} is not finite";
        if (actionSpace.IsDiscrete && (action != MathF.Round(action) || action < 0 || action >= actionSpace.Size))
            return $"action {action} is not one of the {actionSpace.Size} discrete actions";
        if (!float.IsFinite(d.LogProb) || !float.IsFinite(d.Value) || !float.IsFinite(d.Reward))
            return $"log-prob {d.LogProb}, value {d.Value} or reward {d.Reward} is not finite";
        return null;
    }
}
