using System.ComponentModel;
using System.Diagnostics;

namespace Alrs.DataFetch;

/// <summary>
/// Runs a tool such as npm, apt-get or dpkg-deb as a subprocess (so it honours the user's
/// own configuration: registries, proxies, apt sources) and captures its output.
/// </summary>
public static class ExternalCommand
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>The last lines of what the tool printed, for error messages.</summary>
        public string Tail(int lines = 5) =>
            string.Join(" | ", (Error + "\n" + Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
    }

    /// <summary>Runs <paramref name="tool"/>; throws <see cref="FetchException"/> with <paramref name="whenMissing"/> if it is not installed.</summary>
    public static async Task<Result> RunAsync(string tool, IReadOnlyList<string> arguments, string workingDirectory, string whenMissing, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        Process process;
        try { process = Process.Start(start) ?? throw new FetchException($"{tool} did not start"); }
        catch (Win32Exception e)
        {
            throw new FetchException($"{tool} is not installed or not on PATH: {whenMissing}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellation);
            var error = process.StandardError.ReadToEndAsync(cancellation);
            try
            {
                await process.WaitForExitAsync(cancellation);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return new Result(process.ExitCode, await output, await error);
        }
    }
}
