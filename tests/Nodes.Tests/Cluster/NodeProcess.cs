using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Abstractions;

namespace Alrs.Nodes.Tests.Cluster;

/// <summary>
/// An <c>alrs</c> command running as its own OS process (the built alrs.dll beside the
/// tests), with its output collected line by line. Disposing kills it if still running.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    readonly Process _process;
    readonly BlockingCollection<string> _lines = [];
    readonly List<string> _seen = [];
    readonly ITestOutputHelper _log;
    readonly string _name;

    public NodeProcess(string name, ITestOutputHelper log, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        _name = name;
        _log = log;
        var alrs = Path.Combine(AppContext.BaseDirectory, "alrs.dll");
        if (!File.Exists(alrs)) throw new FileNotFoundException($"{alrs} is missing: build src/Nodes first", alrs);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(alrs);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The node must see only what the test gives it, not a developer's ALRS_* settings.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("ALRS_", StringComparison.Ordinal)).ToArray())
            start.Environment.Remove(variable);
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
            start.Environment[variable] = value;

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    void Collect(string? line)
    {
        if (line is null) return;
        if (!_lines.IsAddingCompleted) _lines.Add(line);
        try { _log.WriteLine($"[{_name}] {line}"); }
        catch (InvalidOperationException) { /* test already over */ }
    }

    /// <summary>Waits for an output line containing <paramref name="text"/>; fails naming it and the output so far.</summary>
    public string WaitForLine(string text, TimeSpan timeout) =>
        WaitForLine(l => l.Contains(text, StringComparison.Ordinal), $"a line containing '{text}'", timeout);

    /// <summary>Waits for an output line (already read or new) matching <paramref name="match"/>; fails naming <paramref name="what"/>.</summary>
    public string WaitForLine(Func<string, bool> match, string what, TimeSpan timeout)
    {
        var seen = _seen.FirstOrDefault(match);
        if (seen is not null) return seen;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (!_lines.TryTake(out var line, left > TimeSpan.Zero ? left : TimeSpan.Zero))
                throw new Xunit.Sdk.XunitException(
                    $"{_name} printed no {what} within {timeout.TotalSeconds}s (exited: {_process.HasExited}). Output:\n{string.Join("\n", _seen)}");
            _seen.Add(line);
            if (match(line)) return line;
        }
    }

    /// <summary>Sends SIGKILL: the process dies at once, as in a crash; nothing leaves the cluster.</summary>
    public void Kill()
    {
        if (kill(_process.Id, Sigkill) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGKILL) failed: errno {Marshal.GetLastPInvokeError()}");
        _process.WaitForExit(10_000);
    }

    /// <summary>Every output line read so far (by <see cref="WaitForLine"/>) plus those waiting to be read.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            while (_lines.TryTake(out var line)) _seen.Add(line);
            return [.. _seen];
        }
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> does.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, Sigterm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to exit and returns its exit code; fails if it outlives <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            throw new Xunit.Sdk.XunitException($"{_name} did not exit within {timeout.TotalSeconds}s");
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        finally
        {
            _lines.CompleteAdding();
            _process.Dispose();
        }
    }

    const int Sigterm = 15, Sigkill = 9;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
