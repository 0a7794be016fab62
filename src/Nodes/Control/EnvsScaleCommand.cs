using Akka.Actor;
using Alrs.Messages;

namespace Alrs.Nodes.Control;

/// <summary>
/// <c>envs scale N [--worker ADDRESS]</c>: runs N environment actors per rollout supervisor
/// from now on (on one worker with --worker; otherwise on this node and every Up worker),
/// then shows each supervisor's environments.
/// </summary>
public sealed class EnvsScaleCommand : ControlCommand
{
    /// <summary>The most environments one supervisor may be asked for (as <c>alrs train --envs</c>).</summary>
    public const int MaxEnvironments = 256;

    public override IReadOnlyList<string> Words => ["envs", "scale"];

    public override IReadOnlyList<string> ArgumentNames => ["N"];

    public override IReadOnlyList<string> ValueOptions => [EnvsStatusCommand.Worker];

    public override string Summary => "run N environment actors per worker from now on";

    protected override string OptionValueName(string option) => "ADDRESS";

    protected override void CheckOptions(ControlRequest request)
    {
        Count(request);
        EnvsStatusCommand.CheckWorker(request);
    }

    static int Count(ControlRequest request) => ParseInt("N", request.Arguments[0], 0, MaxEnvironments);

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        var count = Count(request);
        foreach (var (node, supervisor) in await EnvsStatusCommand.SupervisorsAsync(context, request))
        {
            supervisor.Tell(new ScaleEnvironments(count));
            // Sent after the scale message along the same path, so the answer already reflects it.
            var status = await supervisor.Ask<RolloutStatus>(GetRolloutStatus.Instance, context.AskTimeout, cancellation);
            await context.WriteLineAsync($"{node}: scaled to {count}; {EnvsStatusCommand.Describe(status)}");
        }
    }
}
