namespace Alrs.Nodes.Cli;

/// <summary>One verb of the <c>alrs</c> executable (e.g. <c>train</c>, <c>data</c>).</summary>
public interface ICommand
{
    /// <summary>The verb typed after <c>alrs</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage listing: arguments and purpose.</summary>
    string Synopsis { get; }

    /// <summary>Runs with the words after the verb; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellation);
}
