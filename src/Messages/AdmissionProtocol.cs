namespace Alrs.Messages;

// Worker admission: before a worker starts its environments it asks the learner what its
// policy expects, and refuses to start (exit 2) when its own configuration disagrees.

/// <summary>Asks the learner host for its <see cref="LearnerSpec"/>.</summary>
public sealed record GetLearnerSpec
{
    public static readonly GetLearnerSpec Instance = new();
    GetLearnerSpec() { }
}

/// <summary>
/// What the learner's policy was built for, each as an operator reads it: the observation
/// features (set, progress feature, count), the action mapping (kind, factor, action space),
/// the child problem (data set, architecture) and the reward the environments compute.
/// Every worker must run the same.
/// </summary>
public sealed record LearnerSpec(string Observation, string Action, string Dataset, string Architecture, string Reward);
