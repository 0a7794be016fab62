using Akka.Configuration;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// The spec a worker compares with its learner's before it starts environments: every setting
/// that changes what an environment sends (observation size, action, problem, reward) must
/// show up as a difference naming both values.
/// </summary>
public sealed class WorkerAdmissionSpecTests
{
    static Config Quick(string overrides = "") =>
        ConfigurationFactory.ParseString(overrides).WithFallback(AlrsConfig.Load("quick", new Dictionary<string, string>()));

    [Fact]
    public void The_same_configuration_has_no_difference()
    {
        Assert.Null(WorkerAdmission.Difference(WorkerAdmission.SpecOf(Quick()), WorkerAdmission.SpecOf(Quick())));
    }

    [Fact]
    public void A_worker_without_the_progress_feature_is_named_with_both_feature_counts()
    {
        var difference = WorkerAdmission.Difference(WorkerAdmission.SpecOf(Quick()), WorkerAdmission.SpecOf(Quick("alrs.env.observe-progress = off")));

        Assert.Equal("alrs.env.observation differs (learner: reimplementation-log + progress (8 features); this worker: reimplementation-log (7 features))", difference);
    }

    [Fact]
    public void A_worker_with_another_reward_is_refused_naming_both_rewards()
    {
        var difference = WorkerAdmission.Difference(WorkerAdmission.SpecOf(Quick()), WorkerAdmission.SpecOf(Quick("alrs.env.reward = dense")));

        Assert.Equal("alrs.env.reward differs (learner: improvement; this worker: dense)", difference);
    }
}
