using Akka.Configuration;
using Alrs.Actors;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Commands;

/// <summary>
/// Fresh policies of a run's controllers, each from its own configuration: the run's, with the
/// controller's variant (<c>alrs.population.variants</c>) over it, so controller k observes,
/// acts and learns as its variant says. Shared by <c>alrs train</c> and the seed node's learner.
/// </summary>
public static class ControllerAgents
{
    /// <summary>
    /// Reads every controller's environment and PPO settings now (a bad variant value is one
    /// line naming its key, before anything starts) and returns (k, PPO seed, problem) → fresh agent.
    /// </summary>
    public static Func<int, int, TrainedProblem, PpoAgent> Factory(Config config, PopulationSettings population)
    {
        var controllers = Enumerable.Range(0, population.Controllers).Select(k =>
        {
            var controllerConfig = population.ConfigOf(config, k);
            try
            {
                return (Environment: ExperimentSettings.Environment(controllerConfig), Ppo: PpoConfiguration.FromConfig(controllerConfig));
            }
            catch (Learning.InputException e) when (population.VariantOf(k).Entries.Count > 0)
            {
                throw new Learning.InputException($"controller {k} (variant {population.VariantOf(k).Description}): {e.Message}", e);
            }
        }).ToArray();
        return (k, seed, problem) =>
        {
            var (environment, ppo) = controllers[k];
            return new PpoAgent(ppo, environment.Features().Size, ActionMappings.For(environment).Space, seed)
            {
                Spec = ControllerSpec.Of(environment),
                Problem = problem,
            };
        };
    }
}
