using Alrs.Learning;

namespace Alrs.Actors.Tests;

/// <summary>The config spec of hocon/actors.hocon and hocon/persistence.hocon.</summary>
public sealed class ActorSettingsSpecs
{
    [Fact]
    public void Shipped_hocon_defines_every_key_the_actors_read()
    {
        var settings = ActorSettings.FromConfig(TestRun.ShippedConfig());
        Assert.Equal(200, settings.StepsPerUpdate);
        Assert.Equal(2, settings.MaxPolicyLag);
        Assert.Equal(2, settings.Environments);
        Assert.Equal(25, settings.FragmentDecisions);
        Assert.Equal("alrs-environment-dispatcher", settings.EnvironmentDispatcher);
        Assert.Equal("alrs-learner-dispatcher", settings.LearnerDispatcher);
        Assert.Equal(3, settings.MaxRestarts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.BackoffMin);
        Assert.Equal(5, settings.KeepLast);
        Assert.Equal("SQLite.MS", settings.StoreProvider);
        Assert.True(settings.PolicyRelay);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RelayRefresh);
        Assert.Equal(1000, settings.MaxUnackedFragments);
        Assert.False(settings.AllowFaultInjection);
        Assert.Equal(256, settings.MaxEnvironments);
    }

    [Fact]
    public void An_unacknowledged_buffer_smaller_than_one_update_is_refused_naming_the_keys()
    {
        var error = Assert.Throws<InputException>(() => ActorSettings.FromConfig(TestRun.ShippedConfig("alrs.actors.environments.max-unacked-fragments = 8")));
        Assert.Contains("alrs.actors.environments.max-unacked-fragments must be at least 9", error.Message);
        Assert.Contains("steps-per-update", error.Message);
        Assert.Contains("fragment-decisions", error.Message);
    }

    [Fact]
    public void A_bounded_set_forgets_its_oldest_items_first()
    {
        var set = new BoundedSet<int>(3);
        foreach (var i in Enumerable.Range(0, 1000)) set.Add(i);
        Assert.Equal(3, set.Count);
        Assert.True(set.Contains(999));
        Assert.False(set.Contains(996));
        Assert.False(set.Add(998));
    }

    [Fact]
    public void Shipped_hocon_configures_the_sql_persistence_plugins_for_sqlite()
    {
        var config = TestRun.ShippedConfig();
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.Equal("PinnedDispatcher", config.GetString("alrs-environment-dispatcher.type"));
    }

    [Fact]
    public void Environment_actors_and_the_learner_run_on_their_own_dispatchers()
    {
        var settings = ActorSettings.FromConfig(TestRun.ShippedConfig());
        var environment = EnvironmentActor.Props("env-0", 0, 0, settings, _ => throw new InvalidOperationException(), Akka.Actor.ActorRefs.Nobody);
        var learner = LearnerActor.Props(settings, () => throw new InvalidOperationException(), Akka.Actor.ActorRefs.Nobody);
        Assert.Equal("alrs-environment-dispatcher", environment.Dispatcher);
        Assert.Equal("alrs-learner-dispatcher", learner.Dispatcher);
    }

    [Fact]
    public void The_default_store_is_a_sqlite_file_in_the_run_directory()
    {
        var settings = ActorSettings.FromConfig(TestRun.ShippedConfig());
        var config = TrainingSystem.ForRun(TestRun.ShippedConfig(), settings, "/tmp/run-7");
        Assert.Equal("Data Source=/tmp/run-7/policies.db", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("Data Source=/tmp/run-7/policies.db", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }

    [Theory]
    [InlineData("alrs.actors.learner.steps-per-update = 0", "alrs.actors.learner.steps-per-update", "[1, 1000000]")]
    [InlineData("alrs.actors.learner.max-policy-lag = -1", "alrs.actors.learner.max-policy-lag", "[0, 1000]")]
    [InlineData("alrs.actors.environments.count = 300", "alrs.actors.environments.count", "[1, 256]")]
    [InlineData("alrs.actors.environments.fragment-decisions = many", "alrs.actors.environments.fragment-decisions", "integer")]
    [InlineData("alrs.actors.supervisor.window = 0s", "alrs.actors.supervisor.window", "00:00:01")]
    [InlineData("alrs.store.keep-last = 0", "alrs.store.keep-last", "[1, 10000]")]
    [InlineData("alrs.actors.environments.policy-relay = sometimes", "alrs.actors.environments.policy-relay", "on or off")]
    [InlineData("alrs.actors.environments.relay-refresh = 1ms", "alrs.actors.environments.relay-refresh", "00:00:00.1")]
    public void An_out_of_range_value_is_rejected_naming_the_key_and_the_allowed_range(string line, string key, string range)
    {
        var error = Assert.Throws<InputException>(() => ActorSettings.FromConfig(TestRun.ShippedConfig(line)));
        Assert.Contains(key, error.Message);
        Assert.Contains(range, error.Message);
    }

    [Theory]
    [InlineData(200, 25, 223, false)]
    [InlineData(200, 25, 224, true)]
    [InlineData(200, 25, 200, false)] // the old bound: at 190 buffered (after a short end-of-episode fragment) every 25-decision fragment is refused, for ever
    [InlineData(200, 25, 225, true)]
    [InlineData(200, 1, 200, true)]
    public void Max_buffered_decisions_must_leave_room_for_one_more_fragment_than_an_update_needs(int steps, int fragment, int buffered, bool accepted)
    {
        var config = TestRun.ShippedConfig(
            $"alrs.actors.learner.steps-per-update = {steps}\nalrs.actors.environments.fragment-decisions = {fragment}\nalrs.actors.learner.max-buffered-decisions = {buffered}");
        if (accepted)
        {
            Assert.Equal(buffered, ActorSettings.FromConfig(config).MaxBufferedDecisions);
            return;
        }
        var error = Assert.Throws<InputException>(() => ActorSettings.FromConfig(config));
        Assert.Contains("alrs.actors.learner.max-buffered-decisions", error.Message);
        Assert.Contains("alrs.actors.learner.steps-per-update", error.Message);
        Assert.Contains("alrs.actors.environments.fragment-decisions", error.Message);
    }

    [Fact]
    public void A_backoff_max_below_backoff_min_is_rejected()
    {
        var error = Assert.Throws<InputException>(() => ActorSettings.FromConfig(TestRun.ShippedConfig(
            "alrs.actors.supervisor.backoff-min = 10s\nalrs.actors.supervisor.backoff-max = 1s")));
        Assert.Contains("backoff-max", error.Message);
    }

    [Fact]
    public void Torch_threads_default_to_processors_per_environment_and_at_least_one()
    {
        var settings = new ActorSettings { Environments = 4 };
        Assert.Equal(2, settings.EffectiveTorchThreads(8));
        Assert.Equal(1, settings.EffectiveTorchThreads(2));
        Assert.Equal(3, (settings with { TorchThreads = 3 }).EffectiveTorchThreads(2));
    }
}
