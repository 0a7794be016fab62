using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Alrs.Actors;
using Alrs.Messages;
using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Commands;

/// <summary>
/// The live status of <c>alrs train</c> on a <see cref="ProgressDisplay"/>, from the event
/// stream: episodes done of the target, the newest policy version and its approximate KL,
/// the mean return of recent episodes, decisions per second and the time left (and
/// <c>store=unavailable</c> during a policy store outage). Failures, stopped environments and
/// the store's outages are printed as lines of their own. In a population it adds the best
/// controller by mean recent return and the spread of the controllers' means; with
/// population-based training, each exploit as a line of its own.
/// </summary>
public sealed class TrainingStatusLine : ReceiveActor
{
    const int RecentEpisodes = 20;

    readonly ProgressDisplay _display;
    readonly long _target;
    readonly long _episodesBefore;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Queue<double> _recentReturns = new();
    readonly SortedDictionary<int, Queue<double>> _recentByController = [];
    long _episodes, _decisions, _version = -1;
    double _approxKl = double.NaN;
    string _lastEpisode = "";
    bool _storeUnavailable;

    /// <param name="episodesBefore">Episodes a resumed run had already: counting goes on from there.</param>
    public TrainingStatusLine(ProgressDisplay display, long episodes, long episodesBefore = 0)
    {
        _display = display;
        _target = episodes;
        _episodesBefore = _episodes = episodesBefore;

        Receive<DecisionTaken>(_ =>
        {
            _decisions++;
            Show();
        });
        Receive<EpisodeSummary>(episode =>
        {
            _episodes++;
            _recentReturns.Enqueue(episode.Return);
            while (_recentReturns.Count > RecentEpisodes) _recentReturns.Dequeue();
            if (!_recentByController.TryGetValue(episode.Controller, out var mine)) _recentByController[episode.Controller] = mine = new Queue<double>();
            mine.Enqueue(episode.Return);
            while (mine.Count > RecentEpisodes) mine.Dequeue();
            _lastEpisode = string.Create(CultureInfo.InvariantCulture,
                $"last {episode.EnvironmentId}: return {episode.Return:F3}, val loss {episode.FinalValidationLoss:F4}, final lr {episode.FinalLearningRate:G3}{(episode.Diverged ? " DIVERGED" : "")}");
            Show();
        });
        Receive<PolicyPublished>(published =>
        {
            _version = Math.Max(_version, published.Version);
            if (published.Decisions > 0) _approxKl = published.Metrics.GetValueOrDefault("losses/approx_kl", double.NaN);
            Show();
        });
        Receive<PolicyStoreAvailability>(store =>
        {
            _storeUnavailable = !store.Available;
            _display.Message(store.Available
                ? $"{Elapsed} policy store available again after {store.Outage.TotalSeconds:F0} s"
                : $"{Elapsed} policy store unavailable ({store.Cause}): buffering experience and retrying");
            Show();
        });
        Receive<EnvironmentFailed>(failed => _display.Message($"{Elapsed} {failed.EnvironmentId} failed in episode {failed.EpisodeId}: {failed.Reason} (restarting)"));
        Receive<EnvironmentStopped>(stopped => _display.Message($"{Elapsed} {stopped.EnvironmentId} stopped for good after {stopped.Failures} failures: {stopped.Reason}"));
        Receive<PopulationExploit>(exploit => _display.Message($"{Elapsed} {PbtHyperparameters.Describe(exploit)}"));
    }

    public static Props Props(ProgressDisplay display, long episodes, long episodesBefore = 0) =>
        Akka.Actor.Props.Create(() => new TrainingStatusLine(display, episodes, episodesBefore));

    string Elapsed => $"[{Clock(_clock.Elapsed)}]";

    /// <summary>mm:ss, with the hours in front once there are any (full-length runs take hours).</summary>
    internal static string Clock(TimeSpan time) =>
        time.TotalHours >= 1 ? $"{(int)time.TotalHours}:{time:mm\\:ss}" : $"{time:mm\\:ss}";

    void Show()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = _decisions / Math.Max(1e-9, seconds);
        var played = _episodes - _episodesBefore;
        var left = played > 0 && _episodes < _target ? $", ~{Clock(TimeSpan.FromSeconds(seconds / played * (_target - _episodes)))} left" : "";
        var returns = _recentReturns.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", mean return ({_recentReturns.Count}) {_recentReturns.Average():F3}") : "";
        var version = _version < 0 ? "no policy yet" : double.IsFinite(_approxKl)
            ? string.Create(CultureInfo.InvariantCulture, $"policy v{_version} (approx kl {_approxKl:G3})")
            : $"policy v{_version}";
        var population = _recentByController.Count > 1 && PopulationSpread.Of(_recentByController.Select(c => (c.Key, c.Value.Average())).ToArray()) is { } spread
            ? ", " + spread
            : "";
        var last = (_storeUnavailable ? "; store=unavailable" : "") + (_lastEpisode.Length > 0 ? "; " + _lastEpisode : "");
        _display.Report(string.Create(CultureInfo.InvariantCulture,
            $"{Elapsed} episode {_episodes}/{_target}, {version}{returns}{population}, {rate:F1} decisions/s{left}{last}"));
    }
}

/// <summary>Wiring of <see cref="TrainingStatusLine"/>, shared by <c>alrs train</c> and the tests.</summary>
public static class TrainingStatusLineWiring
{
    /// <summary>Starts the status line and subscribes it to the system's event stream.</summary>
    public static IActorRef ShowTrainingStatus(this ActorSystem system, ProgressDisplay display, long episodes, long episodesBefore = 0)
    {
        var status = system.ActorOf(TrainingStatusLine.Props(display, episodes, episodesBefore), "training-status");
        foreach (var type in new[] { typeof(DecisionTaken), typeof(EpisodeSummary), typeof(PolicyPublished), typeof(EnvironmentFailed), typeof(EnvironmentStopped), typeof(PolicyStoreAvailability), typeof(PopulationExploit) })
            system.EventStream.Subscribe(status, type);
        return status;
    }
}
