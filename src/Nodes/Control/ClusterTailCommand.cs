using System.Threading.Channels;
using Akka.Actor;

namespace Alrs.Nodes.Control;

/// <summary><c>cluster tail</c>: membership and reachability events as this node sees them, until the client disconnects.</summary>
public sealed class ClusterTailCommand : ControlCommand
{
    public override IReadOnlyList<string> Words => ["cluster", "tail"];

    public override string Summary => "follow membership and reachability events until Ctrl-C";

    public override bool Streams => true;

    public override async Task ExecuteAsync(ControlContext context, ControlRequest request, CancellationToken cancellation)
    {
        ControlTargets.Cluster(context.System);
        // Under /system, so it does not show in the user actor tree. Unbounded: events are rare, and the actor must never block on a slow client.
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var forwarder = ((ExtendedActorSystem)context.System).SystemActorOf(ClusterEventForwarder.Props(lines.Writer));
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellation))
                await context.WriteLineAsync(line);
            throw new ControlCommandException("the node is shutting down");
        }
        finally
        {
            forwarder.Tell(PoisonPill.Instance);
        }
    }
}
