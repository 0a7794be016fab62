namespace Alrs.Bench;

/// <summary>One named benchmark: prints its details to the log and returns its one-line summary.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Synopsis { get; }
    /// <summary>The options this benchmark runs with when no flag changes them.</summary>
    BenchOptions Defaults => new();
    Task<string> RunAsync(BenchOptions options, TextWriter log);
}
