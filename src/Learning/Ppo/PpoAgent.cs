using Alrs.Learning.Rl;

namespace Alrs.Learning.Ppo;

// CONTRACT STUB (to be implemented on the ppo branch). Signatures are agreed with the
// actors; bodies are placeholders.

/// <summary>What the policy chose for one observation.</summary>
public sealed record PolicyDecision(float[] Action, float LogProb, float Value);

/// <summary>Diagnostics of one PPO update (CleanRL's names in TensorBoard: losses/...).</summary>
public sealed record PpoUpdateMetrics(
    float PolicyLoss, float ValueLoss, float Entropy, float ApproxKl, float ClipFraction,
    float ExplainedVariance, int Decisions, double Seconds);

/// <summary>
/// The PPO controller: actor and critic, observation and reward normalisers. One instance
/// learns (the learner); others act from a published blob (environment actors).
/// </summary>
public sealed class PpoAgent : IDisposable
{
    public PpoAgent(PpoSettings settings, int observationSize, ActionSpace actionSpace, int seed) => throw new NotImplementedException();

    public PpoSettings Settings => throw new NotImplementedException();
    public int ObservationSize => throw new NotImplementedException();
    public ActionSpace ActionSpace => throw new NotImplementedException();

    /// <summary>Chooses an action for a raw observation. Normalises with the current statistics, never updates them.</summary>
    public PolicyDecision Act(float[] rawObservation, bool deterministic, Random random) => throw new NotImplementedException();

    /// <summary>The critic's value of a raw observation (for bootstrapping a cut trajectory).</summary>
    public float Value(float[] rawObservation) => throw new NotImplementedException();

    /// <summary>
    /// One PPO update from raw trajectories: normalise with the current statistics, GAE,
    /// epochs of minibatches; then fold the batch into the running statistics.
    /// </summary>
    public PpoUpdateMetrics Update(IReadOnlyList<Trajectory> batch) => throw new NotImplementedException();

    /// <summary>Settings, shapes, weights and normaliser statistics as one versioned blob; bit-exact round trip.</summary>
    public byte[] ToBlob() => throw new NotImplementedException();

    public static PpoAgent FromBlob(byte[] blob) => throw new NotImplementedException();

    public void Dispose() { }
}
