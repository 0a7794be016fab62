using Akka.Actor;
using Alrs.Messages;

namespace Alrs.Nodes.Control;

/// <summary><c>envs status [--worker ADDRESS]</c>: each rollout supervisor's running, restarting and stopped environments.</summary>
public sealed class EnvsStatusCommand : ControlCommand
{
    public const string Worker = "worker";

    public override IReadOnlyList<string> Words => ["envs", "status"];

    public override IReadOnlyList<string> ValueOptions => [Worker];

    public override string Summary => "environment actors per worker: running, restarting, stopped";

    protected override string OptionValueName(string option) => "ADDRESS";

    protected override void CheckOptions(ControlRequest request) => CheckWorker(request);

    /// <summary>Rejects a malformed --worker before anything is sent.</summary>
    public static void CheckWorker(ControlRequest request)
    {
        if (request.Options.TryGetValue(Worker, out var text)) MemberAddress.Parse(text, new Address("akka.tcp", "alrs"));
    }

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        foreach (var (node, supervisor) in await SupervisorsAsync(context, request))
        {
            var status = await supervisor.Ask<RolloutStatus>(GetRolloutStatus.Instance, context.AskTimeout, cancellation);
            await context.WriteLineAsync($"{node}: {Describe(status)}");
        }
    }

    /// <summary>
    /// The supervisors a request addresses: the one on --worker (which must be a member, in a
    /// cluster), or all of them (<see cref="ControlTargets.RolloutSupervisorsAsync"/>).
    /// </summary>
    public static Task<IReadOnlyList<(Address Node, IActorRef Supervisor)>> SupervisorsAsync(ControlContext context, ControlRequest request)
    {
        Address? worker = null;
        if (request.Options.TryGetValue(Worker, out var text))
            worker = context.System is ExtendedActorSystem { Provider: Akka.Cluster.IClusterActorRefProvider }
                ? MemberAddress.Find(ControlTargets.Cluster(context.System), text).Address
                : MemberAddress.Parse(text, ((ExtendedActorSystem)context.System).Provider.DefaultAddress);
        return ControlTargets.RolloutSupervisorsAsync(context.System, worker, context.AskTimeout);
    }

    public static string Describe(RolloutStatus status) =>
        $"{status.Running.Count} running ({List(status.Running)}), {status.Restarting.Count} restarting, " +
        $"{status.Stopped.Count} stopped ({List(status.Stopped)}), {status.Restarts} restarts";

    static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "-" : string.Join(" ", ids);
}
