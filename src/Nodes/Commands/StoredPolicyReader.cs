using Akka.Actor;
using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning;
using Alrs.Messages;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// Reads a policy out of a train run's policy store (<c>policies.db</c>), so a run that was
/// interrupted, or trained with <c>alrs.train.evaluate = none</c>, can be evaluated from its
/// newest (or best) committed version without writing a policy file first; in a population run,
/// every controller's (for <c>alrs select</c>).
/// </summary>
public static class StoredPolicyReader
{
    /// <summary>Which stored version: the newest committed one, or the best by validation loss.</summary>
    public static readonly IReadOnlyList<string> Choices = ["latest", "best"];

    public static async Task<PolicyVersion> ReadAsync(string runDirectory, string which, string? hoconDirectory, CancellationToken cancellation)
    {
        if (!Choices.Contains(which)) throw new UsageException($"--stored must be latest or best, got '{which}'");
        var (directory, runConfig) = RunDirectory.Open(runDirectory);
        // The run may come from elsewhere: only its problem, controller and population settings count here.
        var config = RunDirectory.ControllerAndProblem(runConfig).WithFallback(AlrsConfig.Load(null, null, hoconDirectory));
        var controllers = await ReadControllersAsync(directory, config, cancellation);
        // A population run: its selected controller's (alrs select writes which).
        var selected = PopulationSelection.SelectedController(directory)
                       ?? (controllers.Count == 1 ? 0 : throw new InputException($"{directory} is a population of {controllers.Count} controllers and none is selected yet: run `alrs select {directory}` first"));
        if (selected < 0 || selected >= controllers.Count) throw new InputException($"{Path.Combine(directory, PopulationSelection.SelectionFile)} selects controller {selected}, the run has {controllers.Count}");
        var stored = controllers[selected];
        return (which == "best" ? stored.Best : stored.Latest)
               ?? throw new InputException($"{Path.Combine(directory, RunDirectory.StoreFile)} holds no policy version yet");
    }

    /// <summary>
    /// What the run's store holds of each controller (one for a run without a population), in
    /// controller order; each version carries its controller id.
    /// </summary>
    public static async Task<IReadOnlyList<StoredPolicies>> ReadControllersAsync(string directory, Config config, CancellationToken cancellation)
    {
        var settings = ActorSettings.FromConfig(config);
        var population = PopulationSettings.FromConfig(config);
        // A private, local system: only the store actors, recovering from the run's journal.
        // The journal may come from elsewhere too: its JSON may only name the store's own records.
        var system = ActorSystem.Create("alrs-policy-reader",
            Akka.Actor.BootstrapSetup.Create().WithConfig(TrainingSystem.ForRun(config, settings, directory)).And(Actors.Serialization.StoredJsonTypes.Setup()));
        try
        {
            var answers = new List<StoredPolicies>();
            for (var k = 0; k < population.Controllers; k++)
            {
                var store = system.ActorOf(PolicyStore.Props(population.SettingsOf(settings, k)), $"policy-store-{PopulationSettings.Name(k)}");
                var stored = await store.Ask<StoredPolicies>(GetStoredPolicies.Instance, TimeSpan.FromSeconds(60), cancellation);
                var controller = k;
                answers.Add(stored with { Latest = stored.Latest is { } l ? l with { Controller = controller } : null, Best = stored.Best is { } b ? b with { Controller = controller } : null });
            }
            return answers;
        }
        finally
        {
            await system.Terminate();
        }
    }
}
