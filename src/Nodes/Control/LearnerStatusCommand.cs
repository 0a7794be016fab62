using System.Globalization;
using Akka.Actor;
using Alrs.Actors;
using Alrs.Messages;

namespace Alrs.Nodes.Control;

/// <summary>
/// <c>learner status</c>: the learner's policy version, updates, throughput, environments and
/// recent returns; for a population the totals, then one row per controller (version,
/// episodes, environments, store state, mean return, and its configuration variant when the
/// population has variants, and its current PPO hyperparameters in pbt mode) and the best
/// controller with the spread of their mean returns.
/// </summary>
public sealed class LearnerStatusCommand : ControlCommand
{
    public override IReadOnlyList<string> Words => ["learner", "status"];

    public override string Summary => "policy version, updates, decisions/s, environments, recent returns";

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        var learner = await ControlTargets.LearnerAsync(context.System, context.AskTimeout);
        var status = await learner.Ask<LearnerStatus>(GetLearnerStatus.Instance, context.AskTimeout, cancellation);
        foreach (var line in Format(learner.Path, status)) await context.WriteLineAsync(line);
        if (status.Controllers is { Count: > 0 } controllers)
            foreach (var line in FormatControllers(controllers)) await context.WriteLineAsync(line);
    }

    static IEnumerable<string> FormatControllers(IReadOnlyList<LearnerStatus> controllers)
    {
        var c = CultureInfo.InvariantCulture;
        string Mean(LearnerStatus s) => s.RecentReturns.Count == 0 ? "-" : s.MeanRecentReturn.ToString("0.###", c);
        // The variant column only when the population has variants (alrs.population.variants).
        var variants = controllers.Any(s => s.Variant.Length > 0);
        // The hyperparameter column only in pbt mode (the population reports them only then).
        var hyperparameters = controllers.Any(s => s.Hyperparameters.Length > 0);
        var rows = controllers.Select(s => (IReadOnlyList<string>)
        [
            s.Controller.ToString(c), s.Version.ToString(c), s.Updates.ToString(c), s.Episodes.ToString(c),
            s.EnvironmentsConnected.ToString(c), s.Store, Mean(s), .. variants ? [s.Variant.Length > 0 ? s.Variant : "-"] : Array.Empty<string>(),
            .. hyperparameters ? [s.Hyperparameters.Length > 0 ? s.Hyperparameters : "-"] : Array.Empty<string>(),
        ]).ToArray();
        IReadOnlyList<string> header =
        [
            "CONTROLLER", "VERSION", "UPDATES", "EPISODES", "ENVIRONMENTS", "STORE", "MEAN RETURN",
            .. variants ? ["VARIANT"] : Array.Empty<string>(), .. hyperparameters ? ["HYPERPARAMETERS"] : Array.Empty<string>(),
        ];
        foreach (var line in TextTable.Format(header, rows)) yield return line;
        if (PopulationSpread.Of(controllers) is { } spread) yield return spread.ToString();
    }

    static IEnumerable<string> Format(ActorPath learner, LearnerStatus s)
    {
        var c = CultureInfo.InvariantCulture;
        var returns = s.RecentReturns.Count == 0
            ? "(no episode finished yet)"
            : $"mean {s.RecentReturns.Average().ToString("0.###", c)} over {s.RecentReturns.Count}: " +
              string.Join(" ", s.RecentReturns.TakeLast(10).Select(r => r.ToString("0.###", c)));
        IReadOnlyList<IReadOnlyList<string>> rows =
        [
            ["learner", learner.ToStringWithoutAddress()],
            ["policy version", s.Version.ToString(c)],
            ["updates", s.Updates.ToString(c)],
            ["decisions/s", s.DecisionsPerSecond.ToString("0.##", c)],
            ["environments connected", s.EnvironmentsConnected.ToString(c)],
            ["episodes", s.Episodes.ToString(c)],
            ["recent returns", returns],
            ["fragments received", s.FragmentsReceived.ToString(c)],
            ["decisions used / buffered", $"{s.DecisionsUsed.ToString(c)} / {s.BufferedDecisions.ToString(c)}"],
            ["dropped stale / duplicates / discarded", $"{s.DroppedStale.ToString(c)} / {s.Duplicates.ToString(c)} / {s.Discarded.ToString(c)}"],
            ["malformed / refused", $"{s.Malformed.ToString(c)} / {s.Refused.ToString(c)}"],
            ["policy store", s.Store],
        ];
        return TextTable.Format(["LEARNER", "STATUS"], rows).Skip(1);
    }
}
