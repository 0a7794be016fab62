using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Alrs.Tests.Shared;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// A PostgreSQL server of one test's own, started by the repository's .ci/postgres on a free
/// loopback port, so that stopping it mid-run disturbs no other test (the shared test server
/// stays up). Disposing stops it at once and deletes its directory.
/// </summary>
sealed class PrivatePostgres : IDisposable
{
    readonly string _bin;
    readonly string _directory;
    readonly Dictionary<string, string> _scriptEnvironment;

    PrivatePostgres(string bin)
    {
        _bin = bin;
        // Short: the server's unix socket lives in this directory.
        _directory = $"/var/tmp/alrs-pg-{Guid.NewGuid():N}"[..28];
        _scriptEnvironment = new Dictionary<string, string> { ["ALRS_PG_DIR"] = _directory, ["ALRS_PG_PORT"] = $"{FreeLoopbackPort()}" };
        StartAgain();
        Connection = Regex.Match(File.ReadAllText(Path.Combine(_directory, "env")), "ALRS_TEST_POSTGRES='([^']*)'").Groups[1].Value;
    }

    /// <summary>The connection string of this server (what ALRS_POSTGRES takes).</summary>
    public string Connection { get; }

    /// <summary>Starts one; skips the calling <c>[SkippableFact]</c> where the machine cannot run PostgreSQL servers (.ci/postgres has not run).</summary>
    public static PrivatePostgres Start()
    {
        TestPostgres.Require();
        var bin = PgBin();
        Skip.If(bin == "", "no PostgreSQL binaries under /usr/lib/postgresql: run .ci/postgres first");
        return new PrivatePostgres(bin);
    }

    /// <summary>The outage: <c>pg_ctl stop -m immediate</c>, as a crash would leave it.</summary>
    public void StopImmediately()
    {
        var (code, output) = PgCtl("-D", Path.Combine(_directory, "data"), "stop", "-m", "immediate");
        Assert.True(code == 0, output);
    }

    /// <summary>Starts the server (again) on the same directory and port: .ci/postgres is idempotent.</summary>
    public void StartAgain()
    {
        var (code, output) = Run("bash", _scriptEnvironment, PostgresScript());
        Assert.True(code == 0, output);
    }

    public void Dispose()
    {
        PgCtl("-D", Path.Combine(_directory, "data"), "stop", "-m", "immediate");
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    (int Code, string Output) PgCtl(params string[] args) => Environment.UserName == "root"
        ? Run("runuser", new Dictionary<string, string>(), ["-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), .. args])
        : Run(Path.Combine(_bin, "pg_ctl"), new Dictionary<string, string>(), args);

    /// <summary>The repository's .ci/postgres, found upwards from the test binaries.</summary>
    static string PostgresScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, ".ci", "postgres");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException(".ci/postgres not found above " + AppContext.BaseDirectory);
    }

    static string PgBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault() ?? ""
            : "";

    static (int Code, string Output) Run(string file, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
