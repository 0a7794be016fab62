using Alrs.Nodes.Cli;
using Alrs.Nodes.Control;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs ctl HOST:PORT COMMAND ...</c>: sends one command to a running node's command
/// endpoint (hocon/ctl.hocon) and prints its answer, in the spirit of Petabridge.Cmd's
/// <c>pbm</c>. Exit codes: 0 done, 1 node unreachable or the command failed there, 2 bad
/// command line. <c>cluster tail</c> runs until Ctrl-C (exit 0).
/// </summary>
public sealed class CtlCommand(TextWriter? output = null) : ICommand
{
    public string Name => "ctl";

    public string Synopsis => "HOST:PORT <command> [args]   control a running node (alrs ctl help lists the commands)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var log = output ?? Console.Out;
        if (args.Count == 1 && args[0] is "help" or "-h" or "--help")
        {
            log.WriteLine("usage: alrs ctl HOST:PORT <command>; commands:");
            foreach (var line in ControlCommands.Usage()) log.WriteLine(line);
            return CommandRouter.Ok;
        }
        if (args.Count < 2)
            throw new UsageException($"give the node's endpoint and a command; commands:{Environment.NewLine}{string.Join(Environment.NewLine, ControlCommands.Usage())}");

        var (host, port) = ControlClient.ParseEndpoint(args[0]);
        var (command, request) = ControlCommands.ParseCommandLine(args.Skip(1).ToArray());
        // A node listening beyond loopback wants its token (alrs.ctl.token); it travels in the request.
        if (Environment.GetEnvironmentVariable(ControlSettings.TokenVariable) is { Length: > 0 } token) request = request with { Token = token };
        try
        {
            await ControlClient.SendAsync(host, port, request, log.WriteLine, command.Streams, cancellation);
        }
        catch (OperationCanceledException) when (command.Streams && cancellation.IsCancellationRequested)
        {
            // Ctrl-C is how a stream ends.
        }
        return CommandRouter.Ok;
    }
}
