using Akka.Actor;

namespace Alrs.Nodes.Control;

/// <summary>What a command sees while it runs on the node: the actor system, the settings and the client's output.</summary>
public sealed class ControlContext(ActorSystem system, ControlSettings settings, Func<string, Task> writeLine)
{
    public ActorSystem System { get; } = system;

    /// <summary>How long to wait for one actor's answer.</summary>
    public TimeSpan AskTimeout => settings.AskTimeout;

    /// <summary>Sends one line of output to the client.</summary>
    public Task WriteLineAsync(string line) => writeLine(line);
}

/// <summary>The command cannot be done on this node (no learner here, unknown member, ...); the client prints the message and exits 1.</summary>
public sealed class ControlCommandException(string message) : Exception(message);
