using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// Follows a training run on the event stream: prints one line per finished episode and per
/// published policy version, and completes <see cref="Finished"/> once published versions
/// account for <c>episodes</c> episodes (all environments together: <see cref="PolicyPublished.Episodes"/>),
/// so a run ends trained on, and having stored, what it counts, even when the count is reached
/// during a store outage; fails it when every environment was stopped for good or the policy
/// store stayed unavailable too long (<see cref="PolicyStoreGaveUp"/>).
/// </summary>
public sealed class TrainingProgress : ReceiveActor
{
    const int RecentEpisodes = 20;

    readonly TextWriter _output;
    readonly long _target;
    readonly int _environments;
    readonly TaskCompletionSource<long> _finished;
    readonly Queue<double> _recentReturns = new();
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _episodes, _stored, _decisions, _version = -1;
    readonly HashSet<string> _stopped = [];

    public TrainingProgress(TextWriter output, long episodes, int environments, TaskCompletionSource<long> finished, string storeName)
    {
        _output = output;
        _target = episodes;
        _environments = environments;
        _finished = finished;

        Receive<EpisodeSummary>(OnEpisode);
        Receive<PolicyPublished>(published =>
        {
            _version = published.Version;
            _stored += published.Episodes;
            if (published.Decisions == 0)
            {
                Write($"policy v{published.Version}: initial weights");
                return;
            }
            var kl = published.Metrics.GetValueOrDefault("losses/approx_kl", double.NaN);
            var valueLoss = published.Metrics.GetValueOrDefault("losses/value_loss", double.NaN);
            Write($"policy v{published.Version}: {published.Decisions} decisions, update {published.Seconds * 1000:F0} ms, approx kl {kl:G3}, value loss {valueLoss:G3}, {_stored} episodes stored");
            if (_stored >= _target) _finished.TrySetResult(_stored);
        });
        Receive<EnvironmentFailed>(failed => Write($"{failed.EnvironmentId} failed in episode {failed.EpisodeId}: {failed.Reason} (restarting)"));
        Receive<EnvironmentStopped>(stopped =>
        {
            Write($"{stopped.EnvironmentId} stopped for good after {stopped.Failures} failures: {stopped.Reason}");
            _stopped.Add(stopped.EnvironmentId);
            if (_stopped.Count >= _environments) _finished.TrySetException(new InvalidOperationException("every environment was stopped after repeated failures"));
        });
        Receive<PolicyStoreGaveUp>(gaveUp => _finished.TrySetException(new PolicyStoreUnavailableException(storeName, gaveUp)));
    }

    public static Props Props(TextWriter output, long episodes, int environments, TaskCompletionSource<long> finished, string storeName = "the policy store") =>
        Akka.Actor.Props.Create(() => new TrainingProgress(output, episodes, environments, finished, storeName));

    void OnEpisode(EpisodeSummary summary)
    {
        _episodes++;
        _decisions += summary.Decisions;
        _recentReturns.Enqueue(summary.Return);
        while (_recentReturns.Count > RecentEpisodes) _recentReturns.Dequeue();
        var rate = _decisions / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        Write($"episode {_episodes}/{_target} {summary.EnvironmentId}: return {summary.Return:F3}, val loss {summary.FinalValidationLoss:F4}, final lr {summary.FinalLearningRate:G3}{(summary.Diverged ? " DIVERGED" : "")}, acting v{summary.PolicyVersion}, newest v{Math.Max(_version, summary.PolicyVersion)}, mean return ({_recentReturns.Count}) {_recentReturns.Average():F3}, {rate:F1} decisions/s");
        if (_episodes == _target) Write($"played {_episodes} episodes; finishing once a stored version accounts for them ({_stored} so far)");
    }

    void Write(FormattableString line) =>
        _output.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {line.ToString(CultureInfo.InvariantCulture)}");
}
