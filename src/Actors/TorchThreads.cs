using Alrs.Torch;
using static TorchSharp.torch;

namespace Alrs.Actors;

/// <summary>
/// The one place an alrs process sets libtorch's intra-op thread count. The pool is
/// process-wide (torch.set_num_threads), so it is set once at start, by what the process runs:
/// environments share the cores between them; a learner-only node keeps the PPO update small.
/// Commands that run one child at a time (baselines, evaluate) leave libtorch's default (all cores).
/// </summary>
public static class TorchThreads
{
    /// <summary>
    /// A process that hosts environment actors (`alrs train`, `alrs worker`):
    /// <c>alrs.actors.environments.torch-threads</c>, or cores / environments when it is 0.
    /// </summary>
    public static int ForEnvironments(ActorSettings settings) => Use(settings.EffectiveTorchThreads(Environment.ProcessorCount));

    /// <summary>A learner-only node (`alrs seed`): torch-threads when set, else 1 (a small PPO update gains nothing from more).</summary>
    public static int ForLearner(ActorSettings settings) => Use(Math.Max(1, settings.TorchThreads));

    static int Use(int threads)
    {
        TorchRuntime.EnsureLoadable();
        set_num_threads(threads);
        return threads;
    }
}
