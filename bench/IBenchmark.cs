namespace Alrs.Bench;

/// <summary>One named benchmark: prints its details to the log and returns its one-line summary.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Synopsis { get; }
    Task<string> RunAsync(BenchOptions options, TextWriter log);
}
