namespace Alrs.Reporting;

/// <summary>
/// The TensorBoard log of a training run, under <c>&lt;run-dir&gt;/tensorboard/</c>: per
/// environment decision the child's learning rate and losses, per PPO update the learner's
/// statistics under CleanRL's metric names. Thread-safe; open <c>tensorboard --logdir
/// &lt;run-dir&gt;/tensorboard</c> to watch it live.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    readonly EventFileWriter writer;

    public TrainingLog(string runDirectory, TimeProvider? clock = null)
    {
        Directory = Path.Combine(runDirectory, "tensorboard");
        writer = new EventFileWriter(Directory, clock);
    }

    /// <summary>Where the event file lies.</summary>
    public string Directory { get; }

    /// <summary>The event file being written.</summary>
    public string EventFile => writer.Path;

    /// <summary>
    /// One decision of environment <paramref name="environmentId"/>: tags
    /// <c>env/&lt;id&gt;/learning_rate</c>, <c>env/&lt;id&gt;/train_loss</c>, <c>env/&lt;id&gt;/val_loss</c>
    /// at step <paramref name="globalDecision"/>.
    /// </summary>
    public void LogDecision(string environmentId, long globalDecision, double lr, double trainLoss, double valLoss) =>
        writer.WriteScalars(globalDecision,
        [
            new($"env/{environmentId}/learning_rate", (float)lr),
            new($"env/{environmentId}/train_loss", (float)trainLoss),
            new($"env/{environmentId}/val_loss", (float)valLoss),
        ]);

    /// <summary>One PPO update producing policy <paramref name="version"/>, at step <paramref name="version"/>.</summary>
    public void LogUpdate(long version, double policyLoss, double valueLoss, double entropy, double approxKl,
        double clipFraction, double explainedVariance, double meanReturn) =>
        writer.WriteScalars(version,
        [
            new("losses/policy_loss", (float)policyLoss),
            new("losses/value_loss", (float)valueLoss),
            new("losses/entropy", (float)entropy),
            new("losses/approx_kl", (float)approxKl),
            new("losses/clipfrac", (float)clipFraction),
            new("losses/explained_variance", (float)explainedVariance),
            new("charts/episodic_return", (float)meanReturn),
        ]);

    public void Dispose() => writer.Dispose();
}
