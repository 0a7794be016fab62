using Akka.Actor;
using Akka.Configuration;
using Alrs.Messages;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>The learner node's machine-readable lines, and its end after the configured episodes.</summary>
public sealed class TrainingReportSpecs
{
    static EpisodeSummary Episode(long id) => new("w/env-0", id, 3, -2.5, 4, 0.4, 1e-3, false);

    static async Task<string> RunAsync(long episodes, Action<ActorSystem> publish, bool expectEnd)
    {
        var output = new StringWriter();
        var system = ActorSystem.Create("report", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        try
        {
            var report = system.ActorOf(TrainingReport.Props(TextWriter.Synchronized(output), episodes));
            await report.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5)); // subscribed once started
            publish(system);
            var ended = await Task.WhenAny(system.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(expectEnd ? 10 : 1))) == system.WhenTerminated;
            Assert.Equal(expectEnd, ended);
            return output.ToString();
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Prints_status_publications_and_lost_nodes_as_key_value_lines()
    {
        var text = await RunAsync(10, system =>
        {
            system.EventStream.Publish(new PolicyPublished(7, 80, 0.25, new Dictionary<string, double>()));
            system.EventStream.Publish(new LearnerStatus(7, 6, 12.5, 3, [-1.0], 9, 40, 320, 0, 1, 0, 2, 1));
            system.EventStream.Publish(new WorkerNodeLost("akka.tcp://alrs@127.0.0.1:40117", "unreachable"));
        }, expectEnd: false);

        Assert.Contains("learner: published version=7 decisions=80 seconds=0.250", text);
        Assert.Contains("learner: version=7 updates=6 episodes=9 fragments=40 duplicates=0 stale=1 discarded=2 lost-nodes=1 environments=3", text);
        Assert.Contains("learner: lost worker node akka.tcp://alrs@127.0.0.1:40117 (unreachable)", text);
    }

    [Fact]
    public async Task Leaves_once_stored_versions_account_for_the_configured_number_of_episodes_printing_the_final_status()
    {
        var text = await RunAsync(2, system =>
        {
            system.EventStream.Publish(new LearnerStatus(4, 4, 1, 2, [], 1, 8, 32, 0, 0, 0, 0));
            system.EventStream.Publish(Episode(1));
            system.EventStream.Publish(Episode(2));
            system.EventStream.Publish(new PolicyPublished(4, 8, 0.1, new Dictionary<string, double>(), Episodes: 1));
            system.EventStream.Publish(Episode(3));
            system.EventStream.Publish(new PolicyPublished(5, 8, 0.1, new Dictionary<string, double>(), Episodes: 2));
            system.EventStream.Publish(Episode(4));
        }, expectEnd: true);

        Assert.Contains("learner: episode 2/2 from w/env-0", text);
        Assert.Contains("learner: played 2 episodes; finishing once stored versions account for them (0 so far)", text);
        Assert.Contains("learner: finished 2 episodes; stored 3 through version 5; version=4 updates=4", text);
        Assert.DoesNotContain("episode 4/2", text);
    }

    [Fact]
    public async Task Episodes_played_but_not_in_a_stored_version_do_not_end_the_run()
    {
        var text = await RunAsync(2, system =>
        {
            foreach (var id in new long[] { 1, 2, 3 }) system.EventStream.Publish(Episode(id));
            system.EventStream.Publish(new PolicyPublished(4, 8, 0.1, new Dictionary<string, double>(), Episodes: 1));
        }, expectEnd: false);

        Assert.Contains("learner: episode 3/2 from w/env-0", text);
        Assert.DoesNotContain("learner: finished", text);
    }
}
