using System.Diagnostics;
using System.Net;
using Alrs.Learning.Data;

namespace Alrs.DataFetch;

/// <summary>
/// Downloads the official CIFAR-10 binary tarball over HTTPS, once per run and with short
/// timeouts, so an unreachable host fails fast with advice to import a local copy.
/// </summary>
public sealed class Cifar10Download(string url = Cifar10Tarball.Url) : IDatasetSource
{
    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15), ResponseTimeout = TimeSpan.FromSeconds(25), StallTimeout = TimeSpan.FromSeconds(30);

    public string Description => url;

    public async Task<string> AcquireAsync(DatasetInfo dataset, string scratch, TextWriter log, CancellationToken cancellation)
    {
        var tarball = Path.Combine(scratch, Cifar10Tarball.FileName);
        log.WriteLine($"  downloading {url} ...");
        try
        {
            await DownloadAsync(tarball, log, cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException && !cancellation.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? "timed out" : e.Message;
            throw new FetchException(
                $"cannot download CIFAR-10 from {url}: {reason}. If this machine cannot reach it, get {Cifar10Tarball.FileName} " +
                $"(or the extracted {Cifar10Tarball.Folder}/) elsewhere and import it with `alrs data fetch cifar10 --from PATH`", e);
        }
        return Cifar10Tarball.VerifyAndExtract(tarball, scratch, log);
    }

    async Task DownloadAsync(string destination, TextWriter log, CancellationToken cancellation)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        headers.CancelAfter(ResponseTimeout);
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        response.EnsureSuccessStatusCode();
        var total = response.Content.Headers.ContentLength;

        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        await using var file = File.Create(destination);
        var buffer = new byte[1 << 16];
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long received = 0;
        while (true)
        {
            // A stalled connection fails after StallTimeout instead of hanging.
            using var read = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            read.CancelAfter(StallTimeout);
            var n = await body.ReadAsync(buffer, read.Token);
            if (n == 0) break;
            await file.WriteAsync(buffer.AsMemory(0, n), cancellation);
            received += n;
            if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(2))
            {
                lastReport = watch.Elapsed;
                var of = total is { } t ? $" of {TransferRate.Megabytes(t)}" : "";
                log.WriteLine($"  {TransferRate.Describe(received, watch)}{of}");
            }
        }
        if (total is { } expected && received != expected)
            throw new IOException($"connection closed after {received} of {expected} bytes");
        log.WriteLine($"  downloaded {Cifar10Tarball.FileName}: {TransferRate.Describe(received, watch)}");
    }
}
