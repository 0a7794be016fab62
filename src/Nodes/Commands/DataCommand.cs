using Alrs.Learning.Data;
using Alrs.DataFetch;
using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Commands;

/// <summary>
/// <c>alrs data fetch NAME</c> installs a dataset into the data directory (verifying
/// checksums; a verified copy is not fetched again); <c>alrs data verify NAME</c> checks an
/// installed copy without loading it. Progress goes to <paramref name="output"/> (stdout).
/// </summary>
public sealed class DataCommand(TextWriter? output = null) : ICommand
{
    public string Name => "data";

    public string Synopsis => $"fetch|verify <{string.Join("|", DatasetInfo.All.Select(d => d.Name))}> [--data-dir DIR] [--from PATH]   get or check a dataset";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var arguments = CommandArguments.Parse(args, ["data-dir", "from"]);
        if (arguments.Positional.Count != 2 || arguments.Positional[0] is not ("fetch" or "verify"))
            throw new UsageException("expected `fetch NAME` or `verify NAME`");
        var dataset = DatasetInfo.Parse(arguments.Positional[1]);
        var dataDir = Path.GetFullPath(arguments.Get("data-dir") ?? DataDirectory.Default);
        var log = output ?? Console.Out;

        if (arguments.Positional[0] == "verify")
        {
            if (arguments.Has("from")) throw new UsageException("--from applies to fetch only");
            return Verify(dataset, dataDir, log);
        }

        var source = arguments.Get("from") is { } from
            ? new LocalCopySource(Path.GetFullPath(from))
            : DatasetFetcher.DefaultSource(dataset);
        await DatasetFetcher.FetchAsync(dataset, dataDir, source, log, cancellation);
        return CommandRouter.Ok;
    }

    static int Verify(DatasetInfo dataset, string dataDir, TextWriter log)
    {
        var directory = DataDirectory.Resolve(dataset, dataDir);
        log.WriteLine($"{dataset.Name}: verifying {directory} ...");
        var result = DatasetVerifier.Verify(dataset, directory);
        foreach (var check in result.Files) log.WriteLine($"  {(check.Ok ? "ok " : "BAD")} {check.File}: {check.Detail}");
        if (result.Ok)
        {
            log.WriteLine($"{dataset.Name}: all {result.Files.Count} files verified");
            return CommandRouter.Ok;
        }
        throw new FetchException($"{dataset.Name} in {directory} failed verification; run `alrs data fetch {dataset.Name} --data-dir {dataDir}` to fetch it again");
    }
}
