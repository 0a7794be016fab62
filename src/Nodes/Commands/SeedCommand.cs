using Alrs.Nodes.Cli;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs seed</c>: starts the node other nodes join first, with the <c>learner</c> role
/// (and <c>worker</c> with --with-worker); without --seeds it starts a new cluster.
/// </summary>
public sealed class SeedCommand : ICommand
{
    const string WithWorker = "with-worker";

    public string Name => "seed";

    public string Synopsis => $"{ClusterNodeCommand.Synopsis} [--episodes N] [--controllers K] [--out DIR] [--{WithWorker} [--envs N]]   start a seed node (singleton learner, or a population of K; leaves after N episodes per controller)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, ClusterNodeCommand.ValueOptions, [.. ClusterNodeCommand.Switches, WithWorker]);
        IReadOnlyList<string> roles = arguments.Has(WithWorker) ? [NodeRoles.Learner, NodeRoles.Worker] : [NodeRoles.Learner];
        return ClusterNodeCommand.RunAsync(Name, arguments, isSeed: true, roles, cancellation);
    }
}
