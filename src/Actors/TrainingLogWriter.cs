using Akka.Actor;
using Alrs.Reporting;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Writes a training run's logs from the event stream (docs/run-directory.md):
/// <c>tensorboard/</c> through <see cref="TrainingLog"/>, one <c>env/&lt;id&gt;/…</c> point per
/// <see cref="DecisionTaken"/> (step: decisions of all environments so far) and the
/// <c>losses/…</c> of every PPO update per <see cref="PolicyPublished"/> (step: the version),
/// with <c>charts/episodic_return</c> the mean return of the episodes ended since the
/// previous update; and <c>training/returns.csv</c>, one row per policy version over the
/// episodes that ended acting with it.
/// <para>
/// Episodes of one version may end after the next version is out (environments adopt it at
/// their own pace), so a version's row is written once a version two newer is published,
/// and the rest on <see cref="Flush"/> or when the actor stops. An episode ending later than
/// that still counts toward <c>charts/episodic_return</c>, not toward returns.csv.
/// </para>
/// <para>
/// In a population each controller has a writer of its own (in <c>controllers/cK/</c>), which
/// takes only the events of its controller: each numbers its own versions.
/// </para>
/// </summary>
public sealed class TrainingLogWriter : ReceiveActor
{
    /// <summary>Writes every pending returns.csv row now; answered with <see cref="Flushed"/>.</summary>
    public sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    /// <summary>Everything received before the <see cref="Flush"/> is written.</summary>
    public sealed record Flushed
    {
        public static readonly Flushed Instance = new();
    }

    readonly string _runDirectory;
    readonly string _returnsPath;
    readonly List<double> _returnsSinceUpdate = [];
    readonly SortedDictionary<long, List<double>> _returnsByVersion = [];
    TrainingLog? _log;
    long _decisions;
    long _newestVersion = -1;
    long _writtenThrough = -1;

    /// <param name="controller">Only this controller's events (a population's per-controller log); null: all.</param>
    public TrainingLogWriter(string runDirectory, int? controller = null)
    {
        _runDirectory = runDirectory;
        _returnsPath = Path.Combine(runDirectory, "training", "returns.csv");
        bool Mine(int c) => controller is null || controller == c;

        Receive<DecisionTaken>(d => Mine(d.Controller), d => _log!.LogDecision(d.EnvironmentId, ++_decisions, d.LearningRate, d.TrainLoss, d.ValidationLoss));
        Receive<EpisodeSummary>(e => Mine(e.Controller), OnEpisode);
        Receive<PolicyPublished>(p => Mine(p.Controller), OnPublished);
        Receive<DecisionTaken>(_ => { });
        Receive<EpisodeSummary>(_ => { });
        Receive<PolicyPublished>(_ => { });
        Receive<Flush>(_ =>
        {
            WriteReturnsThrough(Math.Max(_newestVersion, _returnsByVersion.Keys.LastOrDefault(-1)));
            Sender.Tell(Flushed.Instance);
        });
    }

    public static Props Props(string runDirectory, int? controller = null) => Akka.Actor.Props.Create(() => new TrainingLogWriter(runDirectory, controller));

    protected override void PreStart() => _log = new TrainingLog(_runDirectory);

    protected override void PostStop()
    {
        WriteReturnsThrough(Math.Max(_newestVersion, _returnsByVersion.Keys.LastOrDefault(-1)));
        _log?.Dispose();
    }

    void OnEpisode(EpisodeSummary episode)
    {
        _returnsSinceUpdate.Add(episode.Return);
        if (episode.PolicyVersion <= _writtenThrough) return;
        if (!_returnsByVersion.TryGetValue(episode.PolicyVersion, out var returns)) _returnsByVersion[episode.PolicyVersion] = returns = [];
        returns.Add(episode.Return);
    }

    void OnPublished(PolicyPublished published)
    {
        _newestVersion = Math.Max(_newestVersion, published.Version);
        // A version published without an update (the initial or restored weights) has no losses.
        if (published.Decisions > 0)
        {
            double Metric(string name) => published.Metrics.GetValueOrDefault(name, double.NaN);
            _log!.LogUpdate(published.Version, Metric("losses/policy_loss"), Metric("losses/value_loss"), Metric("losses/entropy"),
                Metric("losses/approx_kl"), Metric("losses/clipfrac"), Metric("losses/explained_variance"),
                _returnsSinceUpdate.Count > 0 ? _returnsSinceUpdate.Average() : double.NaN);
            _returnsSinceUpdate.Clear();
        }
        WriteReturnsThrough(published.Version - 2);
    }

    void WriteReturnsThrough(long version)
    {
        foreach (var (v, returns) in _returnsByVersion.Where(r => r.Key <= version).ToList())
        {
            PolicyReturns.Append(_returnsPath, new VersionReturn(v, returns.Count, returns.Average()));
            _returnsByVersion.Remove(v);
        }
        _writtenThrough = Math.Max(_writtenThrough, version);
    }
}

/// <summary>Wiring of <see cref="TrainingLogWriter"/>, shared by <c>alrs train</c> and the tests.</summary>
public static class TrainingLogWriterWiring
{
    /// <summary>
    /// Starts the writer for <paramref name="runDirectory"/> and subscribes it to the system's
    /// event stream; with <paramref name="controller"/>, only for that controller of a population.
    /// </summary>
    public static IActorRef WriteTrainingLog(this ActorSystem system, string runDirectory, int? controller = null)
    {
        var writer = system.ActorOf(TrainingLogWriter.Props(runDirectory, controller), controller is { } c ? $"training-log-{PopulationSettings.Name(c)}" : "training-log");
        foreach (var type in new[] { typeof(DecisionTaken), typeof(EpisodeSummary), typeof(PolicyPublished) })
            system.EventStream.Subscribe(writer, type);
        return writer;
    }
}
