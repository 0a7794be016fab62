using Akka.Actor;
using Alrs.Actors;
using Alrs.Learning;
using Alrs.Messages;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// Reads a policy out of a train run's policy store (<c>policies.db</c>), so a run that was
/// interrupted, or trained with <c>alrs.train.evaluate = none</c>, can be evaluated from its
/// newest (or best) committed version without writing a policy file first.
/// </summary>
public static class StoredPolicyReader
{
    /// <summary>Which stored version: the newest committed one, or the best by validation loss.</summary>
    public static readonly IReadOnlyList<string> Choices = ["latest", "best"];

    public static async Task<PolicyVersion> ReadAsync(string runDirectory, string which, string? hoconDirectory, CancellationToken cancellation)
    {
        if (!Choices.Contains(which)) throw new UsageException($"--stored must be latest or best, got '{which}'");
        var (directory, runConfig) = RunDirectory.Open(runDirectory);
        // The run may come from elsewhere: only its problem and controller settings count here.
        var config = RunDirectory.ControllerAndProblem(runConfig).WithFallback(AlrsConfig.Load(null, null, hoconDirectory));
        var settings = ActorSettings.FromConfig(config);
        // A private, local system: only the store actor, recovering from the run's journal.
        // The journal may come from elsewhere too: its JSON may only name the store's own records.
        var system = ActorSystem.Create("alrs-policy-reader",
            Akka.Actor.BootstrapSetup.Create().WithConfig(TrainingSystem.ForRun(config, settings, directory)).And(Actors.Serialization.StoredJsonTypes.Setup()));
        try
        {
            var store = system.ActorOf(PolicyStore.Props(settings), "policy-store");
            var stored = await store.Ask<StoredPolicies>(GetStoredPolicies.Instance, TimeSpan.FromSeconds(60), cancellation);
            return (which == "best" ? stored.Best : stored.Latest)
                   ?? throw new InputException($"{Path.Combine(directory, RunDirectory.StoreFile)} holds no policy version yet");
        }
        finally
        {
            await system.Terminate();
        }
    }
}
