using Alrs.Nodes.Cli;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Commands;

/// <summary><c>alrs worker</c>: joins the cluster through its seeds with the <c>worker</c> role.</summary>
public sealed class WorkerCommand : ICommand
{
    public string Name => "worker";

    public string Synopsis => $"{ClusterNodeCommand.Synopsis} [--envs N]   start a worker node with N environment actors (joins the seeds)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, ClusterNodeCommand.ValueOptions, ClusterNodeCommand.Switches);
        return ClusterNodeCommand.RunAsync(Name, arguments, isSeed: false, [NodeRoles.Worker], cancellation);
    }
}
