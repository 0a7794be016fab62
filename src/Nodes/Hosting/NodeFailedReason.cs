using Akka.Actor;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// Why a node shut itself down when it cannot go on (its policy store stayed unavailable, or the
/// learner refused this worker's configuration): <c>alrs seed</c>/<c>alrs worker</c> print
/// <see cref="Message"/> as one line and exit with <see cref="ExitCode"/> (1 runtime failure, 2 bad input).
/// </summary>
public sealed class NodeFailedReason(string message, int exitCode) : CoordinatedShutdown.Reason
{
    public string Message { get; } = message;
    public override int ExitCode { get; } = exitCode;
}
