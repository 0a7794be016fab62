using Alrs.Nodes.Cli;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs cluster keys --out DIR [--if-missing]</c>: makes the certificate every node of a
/// TLS cluster shares (<see cref="ClusterKeys"/>). <c>--if-missing</c>: keys already there
/// are kept and the command succeeds (for a one-shot compose service that runs at every start).
/// </summary>
public sealed class ClusterCommand(TextWriter? output = null) : ICommand
{
    const string IfMissing = "if-missing";

    public string Name => "cluster";

    public string Synopsis => $"keys --out DIR [--{IfMissing}]   make the certificate for a TLS cluster (docs/cluster.md#security)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, ["out"], [IfMissing]);
        if (arguments.Positional is not ["keys"])
            throw new UsageException(arguments.Positional.Count == 0 ? "which cluster command? keys" : $"unknown cluster command '{string.Join(' ', arguments.Positional)}'");
        var directory = arguments.Get("out") ?? throw new UsageException("--out DIR is required: where to write the cluster certificate");
        var log = output ?? Console.Out;
        var existing = Path.Combine(Path.GetFullPath(directory), ClusterKeys.FileName);
        if (arguments.Has(IfMissing) && File.Exists(existing))
        {
            log.WriteLine($"cluster keys: {existing} exists; kept");
            return Task.FromResult(CommandRouter.Ok);
        }
        var (path, thumbprint) = ClusterKeys.Create(directory);
        log.WriteLine($"cluster keys: wrote {path} (owner-only; SHA-1 thumbprint {thumbprint})");
        log.WriteLine($"  every node: ALRS_TLS_CERTIFICATE={path} alrs seed|worker --tls ...   (copy the file to each host; whoever holds it can join)");
        return Task.FromResult(CommandRouter.Ok);
    }
}
