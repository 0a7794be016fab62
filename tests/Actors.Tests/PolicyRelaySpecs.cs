using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

/// <summary>The node-local policy relay, with probes standing in for the learner and the environments.</summary>
public sealed class PolicyRelaySpecs : TestKit
{
    public PolicyRelaySpecs() : base(TestRun.ShippedConfig("akka.loglevel = ERROR")) { }

    readonly PolicyVersion _v1 = TestRun.PolicyOf(TestRun.NewAgent(1), 1), _v2 = TestRun.PolicyOf(TestRun.NewAgent(2), 2);

    IActorRef StartRelay(IActorRef learner, string overrides = "") =>
        Sys.ActorOf(PolicyRelay.Props(TestRun.SmallSettings(overrides), learner));

    [Fact]
    public void Registers_with_the_learner_and_passes_on_environment_registrations_with_the_environment_as_sender()
    {
        var learner = CreateTestProbe();
        var relay = StartRelay(learner);
        Assert.Equal(-1, learner.ExpectMsg<RegisterPolicyRelay>().Version);
        Assert.Equal(relay, learner.LastSender);

        var environment = CreateTestProbe();
        relay.Tell(new RegisterEnvironment("env-0"), environment);
        Assert.Equal("env-0", learner.ExpectMsg<RegisterEnvironment>().EnvironmentId);
        Assert.Equal(environment, learner.LastSender);
    }

    [Fact]
    public void Hands_each_version_once_to_every_environment_and_the_current_one_to_a_late_environment()
    {
        var learner = CreateTestProbe();
        var relay = StartRelay(learner);
        var (first, second) = (CreateTestProbe(), CreateTestProbe());
        relay.Tell(new RegisterEnvironment("env-0"), first);
        relay.Tell(new RegisterEnvironment("env-1"), second);
        learner.ExpectMsg<RegisterPolicyRelay>();
        learner.ExpectMsg<RegisterEnvironment>();
        learner.ExpectMsg<RegisterEnvironment>();

        relay.Tell(_v1, learner);
        relay.Tell(_v1, learner); // a copy sent twice (the learner's answer to a refresh crossing a publish)
        relay.Tell(_v2, learner);
        foreach (var environment in new[] { first, second })
        {
            Assert.Equal(1, environment.ExpectMsg<PolicyVersion>().Version);
            Assert.Equal(2, environment.ExpectMsg<PolicyVersion>().Version);
            environment.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }

        var late = CreateTestProbe();
        relay.Tell(new RegisterEnvironment("env-2"), late);
        Assert.Same(_v2, late.ExpectMsg<PolicyVersion>());
    }

    [Fact]
    public void Does_not_keep_or_pass_on_a_version_whose_checksum_does_not_match()
    {
        var learner = CreateTestProbe();
        var relay = StartRelay(learner, "alrs.actors.environments.relay-refresh = 200ms");
        var environment = CreateTestProbe();
        relay.Tell(new RegisterEnvironment("env-0"), environment);
        relay.Tell(_v1 with { Checksum = new string('0', 64) }, learner);

        environment.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        // Its refreshes still ask for anything newer than nothing, so the learner sends the version again.
        learner.FishForMessage<RegisterPolicyRelay>(r => r.Version == -1, TimeSpan.FromSeconds(5));

        relay.Tell(_v1, learner);
        Assert.Equal(1, environment.ExpectMsg<PolicyVersion>().Version);
        learner.FishForMessage<RegisterPolicyRelay>(r => r.Version == 1, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Relays_no_version_from_a_sender_other_than_the_learner_nor_an_implausible_jump()
    {
        var learner = CreateTestProbe();
        var relay = StartRelay(learner);
        var environment = CreateTestProbe();
        relay.Tell(new RegisterEnvironment("env-0"), environment);

        relay.Tell(_v1, CreateTestProbe());
        relay.Tell(TestRun.PolicyOf(TestRun.NewAgent(3), long.MaxValue), learner);
        environment.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        relay.Tell(_v1, learner);
        Assert.Equal(1, environment.ExpectMsg<PolicyVersion>().Version);
    }
}
