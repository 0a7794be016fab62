using Akka.Actor;
using Akka.TestKit.Xunit2;
using Alrs.Reporting;
using Alrs.Messages;

namespace Alrs.Actors.Tests;

public sealed class TrainingLogWriterSpecs : TestKit
{
    readonly string _runDirectory = TestRun.NewDirectory();

    protected override void AfterAll()
    {
        base.AfterAll();
        TestRun.DeleteDirectory(_runDirectory);
    }

    static PolicyPublished Update(long version, double approxKl) => new(version, 20, 0.01, new Dictionary<string, double>
    {
        ["losses/policy_loss"] = -0.5,
        ["losses/value_loss"] = 2.0,
        ["losses/entropy"] = 1.1,
        ["losses/approx_kl"] = approxKl,
        ["losses/clipfrac"] = 0.1,
        ["losses/explained_variance"] = 0.3,
    });

    static EpisodeSummary Episode(string environment, long version, double @return) =>
        new(environment, 1, version, @return, 20, 0.4, 1e-3, Diverged: false);

    void Flush(IActorRef writer) =>
        writer.Ask<TrainingLogWriter.Flushed>(TrainingLogWriter.Flush.Instance, TimeSpan.FromSeconds(10)).Wait();

    [Fact]
    public void Decisions_and_updates_from_the_event_stream_become_tensorboard_scalars()
    {
        var writer = Sys.WriteTrainingLog(_runDirectory);
        Sys.EventStream.Publish(new PolicyPublished(1, 0, 0, new Dictionary<string, double>()));
        Sys.EventStream.Publish(new DecisionTaken("env-0", 1, 1, 1e-3, 2.3, 2.2));
        Sys.EventStream.Publish(new DecisionTaken("env-1", 7, 1, 2e-3, 2.1, 2.0));
        Sys.EventStream.Publish(new DecisionTaken("env-0", 1, 2, 1.05e-3, 1.9, 1.8));
        Sys.EventStream.Publish(Episode("env-0", 1, -3.0));
        Sys.EventStream.Publish(Episode("env-1", 1, -5.0));
        Sys.EventStream.Publish(Update(2, approxKl: 0.02));
        Flush(writer);

        var events = EventFileReader.Read(Directory.GetFiles(Path.Combine(_runDirectory, "tensorboard"), "events.out.tfevents.*").Single());
        var scalars = events.SelectMany(e => e.Values.Select(v => (e.Step, v.Tag, v.Value))).ToList();
        Assert.Equal([1L, 3L], scalars.Where(s => s.Tag == "env/env-0/learning_rate").Select(s => s.Step));
        Assert.Equal(2.0f, scalars.Single(s => s.Tag == "env/env-1/val_loss" && s.Step == 2).Value);
        Assert.Equal(1.9f, scalars.Single(s => s.Tag == "env/env-0/train_loss" && s.Step == 3).Value);
        // The initial version has no update: only version 2 carries losses.
        var update = scalars.Where(s => s.Tag.StartsWith("losses/") || s.Tag.StartsWith("charts/")).ToList();
        Assert.All(update, s => Assert.Equal(2L, s.Step));
        Assert.Equal(0.02f, update.Single(s => s.Tag == "losses/approx_kl").Value);
        Assert.Equal(-4.0f, update.Single(s => s.Tag == "charts/episodic_return").Value);
        Assert.Equal(7, update.Count);
    }

    [Fact]
    public void Returns_csv_gets_one_row_per_version_once_episodes_of_that_version_can_no_longer_arrive()
    {
        var writer = Sys.WriteTrainingLog(_runDirectory);
        var returns = Path.Combine(_runDirectory, "training", "returns.csv");
        Sys.EventStream.Publish(Episode("env-0", 1, -3.0));
        Sys.EventStream.Publish(Update(2, 0.01));
        Sys.EventStream.Publish(Episode("env-1", 1, -5.0));   // acted with v1, ended after v2 was out
        Sys.EventStream.Publish(Episode("env-0", 2, -2.0));
        Sys.EventStream.Publish(Update(3, 0.01));
        AwaitAssert(() => Assert.Equal([new VersionReturn(1, 2, -4.0)], PolicyReturns.Read(returns)), TimeSpan.FromSeconds(10));

        Sys.EventStream.Publish(Episode("env-1", 3, -1.0));
        Flush(writer);
        Assert.Equal([new VersionReturn(1, 2, -4.0), new VersionReturn(2, 1, -2.0), new VersionReturn(3, 1, -1.0)], PolicyReturns.Read(returns));
    }
}
