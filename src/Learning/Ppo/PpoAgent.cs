using System.Diagnostics;
using Alrs.Learning.Environments;
using Alrs.Learning.Rl;
using Alrs.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Ppo;

/// <summary>What the policy chose for one observation.</summary>
public sealed record PolicyDecision(float[] Action, float LogProb, float Value);

/// <summary>Diagnostics of one PPO update (CleanRL's names in TensorBoard: losses/...).</summary>
public sealed record PpoUpdateMetrics(
    float PolicyLoss, float ValueLoss, float Entropy, float ApproxKl, float ClipFraction,
    float ExplainedVariance, int Decisions, double Seconds)
{
    /// <summary>Whether the target-KL early stop cut this update's epochs short.</summary>
    public bool StoppedEarly { get; init; }
    /// <summary>Minibatch gradient steps taken.</summary>
    public int GradientSteps { get; init; }

    /// <summary>The metrics under CleanRL's TensorBoard names.</summary>
    public IReadOnlyDictionary<string, double> Named() => new Dictionary<string, double>
    {
        ["losses/policy_loss"] = PolicyLoss,
        ["losses/value_loss"] = ValueLoss,
        ["losses/entropy"] = Entropy,
        ["losses/approx_kl"] = ApproxKl,
        ["losses/clipfrac"] = ClipFraction,
        ["losses/explained_variance"] = ExplainedVariance,
        ["charts/decisions"] = Decisions,
        ["charts/update_seconds"] = Seconds,
    };
}

/// <summary>
/// The PPO controller: actor and critic, observation and reward normalisers. One instance
/// learns (the learner); others act from a published blob (environment actors).
/// </summary>
/// <remarks>
/// Separate actor and critic MLPs. Discrete actions: a categorical over the actor's logits.
/// Continuous actions: a Gaussian whose mean the actor outputs in normalised coordinates
/// (the action range's centre is 0, its half-width 1) and whose std is a learnable
/// state-independent parameter or fixed; the sample is returned unclipped (the environment
/// clips) and its log-probability is that of the unclipped sample. Not thread-safe.
/// Performance: the networks are tiny, but a minibatch-sized linear layer enters torch's
/// threaded gemm, whose barriers cost milliseconds on a loaded machine; a learner process
/// updates far faster with <c>torch.set_num_threads(1)</c> (results are the same).
/// </remarks>
public sealed class PpoAgent : IDisposable
{
    readonly PolicyMlp _actor, _critic;
    readonly Parameter? _logStd;
    readonly AdamOptimizer _optimizer;
    readonly double _centre, _halfRange;

    public PpoAgent(PpoSettings settings, int observationSize, ActionSpace actionSpace, int seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(actionSpace);
        settings.Validate();
        if (observationSize < 1) throw new InputException($"PPO observation size must be positive, got {observationSize}");
        if (actionSpace.IsDiscrete && actionSpace.Size < 2)
            throw new InputException($"a discrete action space needs at least 2 choices, got {actionSpace.Size}");
        if (!actionSpace.IsDiscrete && !(float.IsFinite(actionSpace.Low) && float.IsFinite(actionSpace.High) && actionSpace.High > actionSpace.Low))
            throw new InputException($"a continuous action space needs finite bounds with High > Low, got [{actionSpace.Low}, {actionSpace.High}]");
        TorchRuntime.EnsureLoadable();

        Settings = settings;
        ObservationSize = observationSize;
        ActionSpace = actionSpace;
        Seed = seed;
        _centre = (actionSpace.Low + (double)actionSpace.High) / 2;
        _halfRange = (actionSpace.High - (double)actionSpace.Low) / 2;

        // Network initialisation draws only from this generator: the same seed, the same weights.
        using var generator = new Generator(unchecked((ulong)seed));
        _actor = new PolicyMlp(observationSize, settings.ActorHidden, actionSpace.IsDiscrete ? actionSpace.Size : 1, 0.01, generator);
        _critic = new PolicyMlp(observationSize, settings.CriticHidden, 1, 1.0, generator);
        if (!actionSpace.IsDiscrete && settings.FixedStd is null)
            _logStd = new Parameter(full(1, Math.Log(settings.InitialStd), ScalarType.Float32));

        // Fixed order: actor, log-std, critic. The blob relies on it.
        var actorParameters = _actor.Parameters.Concat(_logStd is null ? [] : new[] { _logStd }).ToArray();
        Parameters = [.. actorParameters, .. _critic.Parameters];
        var learningRates = actorParameters.Select(_ => settings.LearningRate)
            .Concat(_critic.Parameters.Select(_ => settings.EffectiveCriticLearningRate)).ToArray();
        _optimizer = new AdamOptimizer(Parameters, learningRates, settings.AdamEpsilon);

        ObservationStatistics = new RunningMeanStd(observationSize);
        ReturnStatistics = new RunningMeanStd(1);
    }

    public PpoSettings Settings { get; }
    public int ObservationSize { get; }
    public ActionSpace ActionSpace { get; }
    /// <summary>The constructor's seed: network initialisation and minibatch shuffles derive from it.</summary>
    public int Seed { get; }
    /// <summary>The environment settings the policy was trained with (null in blobs of format 1, which did not record them).</summary>
    public ControllerSpec? Spec { get; set; }
    /// <summary>The problem the policy was trained on (null in blobs before format 3, which did not record it).</summary>
    public TrainedProblem? Problem { get; set; }

    /// <summary>Updates performed so far (including those before a blob was written).</summary>
    public long Updates { get; internal set; }

    /// <summary>Running mean/variance of raw observations.</summary>
    public RunningMeanStd ObservationStatistics { get; internal set; }
    /// <summary>Running variance of the discounted return, whose std scales the rewards.</summary>
    public RunningMeanStd ReturnStatistics { get; internal set; }

    internal IReadOnlyList<Parameter> Parameters { get; }
    internal AdamOptimizer Optimizer => _optimizer;

    /// <summary>Chooses an action for a raw observation. Normalises with the current statistics, never updates them.</summary>
    public PolicyDecision Act(float[] rawObservation, bool deterministic, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var observation = NormalizeObservation(rawObservation);
        float[] head;
        float value;
        using (NewDisposeScope())
        using (no_grad())
        {
            var x = tensor(observation).unsqueeze(0);
            head = _actor.Forward(x).data<float>().ToArray();
            value = _critic.Forward(x).item<float>();
        }

        if (ActionSpace.IsDiscrete)
        {
            var (index, logProb) = PolicySampling.Categorical(head, deterministic, random);
            return new PolicyDecision([index], (float)logProb, value);
        }
        var std = NormalizedStd();
        var u = deterministic ? head[0] : head[0] + std * PolicySampling.StandardNormal(random);
        var logDensity = PolicySampling.GaussianLogDensity(u, head[0], std) - Math.Log(_halfRange);
        return new PolicyDecision([(float)(_centre + _halfRange * u)], (float)logDensity, value);
    }

    /// <summary>The critic's value of a raw observation (for bootstrapping a cut trajectory).</summary>
    public float Value(float[] rawObservation)
    {
        var observation = NormalizeObservation(rawObservation);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _critic.Forward(tensor(observation).unsqueeze(0)).item<float>();
    }

    /// <summary>
    /// One PPO update from raw trajectories: normalise each observation with the statistics its
    /// acting version used (<paramref name="actingStatistics"/> by <see cref="Transition.PolicyVersion"/>;
    /// the current statistics when it has none), GAE, epochs of minibatches; then fold the batch
    /// into the running statistics.
    /// </summary>
    public PpoUpdateMetrics Update(IReadOnlyList<Trajectory> batch, Func<long, RunningMeanStd?>? actingStatistics = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var clock = Stopwatch.StartNew();
        var decisions = batch.Sum(t => t.Transitions.Count);
        if (decisions == 0) throw new ArgumentException("a PPO update needs at least one transition", nameof(batch));
        foreach (var transition in batch.SelectMany(t => t.Transitions))
        {
            if (transition.Observation.Length != ObservationSize)
                throw new ArgumentException($"a transition's observation has {transition.Observation.Length} values, expected {ObservationSize}");
            if (transition.Action.Length != ActionSpace.Dimensions)
                throw new ArgumentException($"a transition's action has {transition.Action.Length} values, expected {ActionSpace.Dimensions}");
        }

        // (a) Normalise with the statistics the acting policy used; scale rewards by the return std.
        var observations = new float[decisions * ObservationSize];
        var actions = new float[decisions];
        var oldLogProbs = new float[decisions];
        var oldValues = new float[decisions];
        var advantages = new float[decisions];
        var returns = new float[decisions];
        var rewardScale = Settings.NormalizeRewards ? 1 / Math.Sqrt(ReturnStatistics.Variance[0] + 1e-8) : 1.0;
        var row = 0;
        foreach (var trajectory in batch)
        {
            var transitions = trajectory.Transitions;
            var rewards = transitions.Select(t => ScaleReward(t.Reward, rewardScale)).ToArray();
            // (b) GAE over the trajectory; returns = advantages + the acting critic's values.
            var (trajectoryAdvantages, trajectoryReturns) = Gae.Compute(
                rewards, transitions.Select(t => t.Value).ToArray(), transitions.Select(t => t.Done).ToArray(),
                trajectory.BootstrapValue, Settings.Gamma, Settings.Lambda);
            for (var t = 0; t < transitions.Count; t++, row++)
            {
                NormalizeObservation(transitions[t].Observation, actingStatistics?.Invoke(transitions[t].PolicyVersion)).CopyTo(observations, row * ObservationSize);
                actions[row] = transitions[t].Action[0];
                oldLogProbs[row] = transitions[t].LogProb;
                oldValues[row] = transitions[t].Value;
                advantages[row] = trajectoryAdvantages[t];
                returns[row] = trajectoryReturns[t];
            }
        }

        if (Settings.NormalizeAdvantages && Settings.AdvantageScope == AdvantageScope.Batch && decisions > 1)
        {
            var mean = advantages.Average(a => (double)a);
            var std = Math.Sqrt(advantages.Sum(a => (a - mean) * (a - mean)) / (decisions - 1));
            for (var i = 0; i < decisions; i++) advantages[i] = (float)((advantages[i] - mean) / (std + 1e-8));
        }
        // Annealing follows the update count, which a blob keeps: a resumed run continues the line.
        var anneal = Settings.AnnealFraction(Updates);
        _optimizer.LearningRateScale = anneal;
        var entropyCoefficient = Settings.EntropyCoefficient * (Settings.AnnealEntropy ? anneal : 1.0);

        // (c) Epochs of shuffled minibatches.
        var totals = new double[5]; // policy loss, value loss, entropy, approx KL, clip fraction
        var gradientSteps = 0;
        var stoppedEarly = false;
        var shuffle = new Random(unchecked(Seed * 1_000_003 + (int)Updates));
        var order = Enumerable.Range(0, decisions).ToArray();
        var minibatches = Math.Min(Settings.Minibatches, decisions);
        using (NewDisposeScope())
        {
            var allObservations = tensor(observations, [decisions, ObservationSize]);
            var allActions = tensor(actions);
            var allOldLogProbs = tensor(oldLogProbs);
            var allOldValues = tensor(oldValues);
            var allAdvantages = tensor(advantages);
            var allReturns = tensor(returns);
            for (var epoch = 0; epoch < Settings.Epochs && !stoppedEarly; epoch++)
            {
                shuffle.Shuffle(order);
                double epochKl = 0;
                for (var m = 0; m < minibatches; m++)
                {
                    using var step = NewDisposeScope();
                    var start = m * decisions / minibatches;
                    var end = (m + 1) * decisions / minibatches;
                    var index = tensor(order[start..end].Select(i => (long)i).ToArray());
                    var terms = MinibatchStep(
                        allObservations.index_select(0, index), allActions.index_select(0, index),
                        allOldLogProbs.index_select(0, index), allOldValues.index_select(0, index),
                        allAdvantages.index_select(0, index), allReturns.index_select(0, index), entropyCoefficient);
                    for (var i = 0; i < totals.Length; i++) totals[i] += terms[i];
                    epochKl += terms[3] / minibatches;
                    gradientSteps++;
                }
                // CleanRL's optional early stop: the epoch's policy moved too far from the acting one.
                if (Settings.TargetKl is { } targetKl && epochKl > targetKl) stoppedEarly = true;
            }
        }

        // (d) Only now fold the batch into the normalisers, so (a) matched the acting policy.
        if (Settings.NormalizeObservations)
            ObservationStatistics.Update(batch.SelectMany(t => t.Transitions).Select(t => t.Observation).ToList());
        if (Settings.NormalizeRewards)
            ReturnStatistics.Update(batch.SelectMany(t => Gae.ForwardDiscountedReturns(
                t.Transitions.Select(x => x.Reward).ToArray(), t.Transitions.Select(x => x.Done).ToArray(), Settings.Gamma, t.ReturnBefore)).ToList());
        Updates++;

        var explained = PpoLosses.ExplainedVariance(oldValues, returns);
        return new PpoUpdateMetrics(
            (float)(totals[0] / gradientSteps), (float)(totals[1] / gradientSteps), (float)(totals[2] / gradientSteps),
            (float)(totals[3] / gradientSteps), (float)(totals[4] / gradientSteps), (float)explained,
            decisions, clock.Elapsed.TotalSeconds)
        { StoppedEarly = stoppedEarly, GradientSteps = gradientSteps };
    }

    /// <summary>One gradient step on a minibatch; returns policy loss, value loss, entropy, approx KL, clip fraction.</summary>
    double[] MinibatchStep(Tensor observations, Tensor actions, Tensor oldLogProbs, Tensor oldValues, Tensor advantages, Tensor returns, double entropyCoefficient)
    {
        var (logProbs, entropy) = Evaluate(observations, actions);
        var values = _critic.Forward(observations).squeeze(1);

        var logRatio = logProbs - oldLogProbs;
        var ratio = logRatio.exp();
        if (Settings.NormalizeAdvantages && Settings.AdvantageScope == AdvantageScope.Minibatch && advantages.shape[0] > 1)
            advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);

        var policyLoss = PpoLosses.ClippedSurrogate(ratio, advantages, Settings.ClipCoefficient);
        var valueLoss = PpoLosses.ValueLoss(values, oldValues, returns, Settings.ClipValueLoss ? Settings.ClipCoefficient : null);
        var entropyMean = entropy.mean();
        var loss = policyLoss - entropyCoefficient * entropyMean + Settings.ValueCoefficient * valueLoss;

        _optimizer.ZeroGrad();
        loss.backward();
        nn.utils.clip_grad_norm_(Parameters, Settings.MaxGradNorm);
        _optimizer.Step();

        using var noGrad = no_grad();
        return
        [
            policyLoss.item<float>(), valueLoss.item<float>(), entropyMean.item<float>(),
            PpoLosses.ApproxKl(logRatio).item<float>(), PpoLosses.ClipFraction(ratio, Settings.ClipCoefficient).item<float>(),
        ];
    }

    /// <summary>Log-probabilities of the taken actions and the per-row entropy under the current policy.</summary>
    (Tensor LogProbs, Tensor Entropy) Evaluate(Tensor observations, Tensor actions)
    {
        var head = _actor.Forward(observations);
        if (ActionSpace.IsDiscrete)
            return (PpoLosses.CategoricalLogProb(head, actions.to_type(ScalarType.Int64)), PpoLosses.CategoricalEntropy(head));
        var logStd = _logStd ?? tensor(new[] { (float)Math.Log(NormalizedStd()) });
        var u = (actions - _centre) / _halfRange;
        var logProbs = PpoLosses.GaussianLogProb(u, head.squeeze(1), logStd) - Math.Log(_halfRange);
        // The entropy of the action, not of u: differs by the constant log(half-range).
        var entropy = (PpoLosses.GaussianEntropy(logStd) + Math.Log(_halfRange)).expand(actions.shape[0]);
        return (logProbs, entropy);
    }

    /// <summary>The Gaussian's std in normalised action units.</summary>
    double NormalizedStd() =>
        _logStd is null ? Settings.FixedStd!.Value / _halfRange : Math.Exp(_logStd.item<float>());

    float[] NormalizeObservation(float[] raw, RunningMeanStd? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length != ObservationSize)
            throw new ArgumentException($"an observation has {raw.Length} values, expected {ObservationSize}");
        return Settings.NormalizeObservations ? (statistics ?? ObservationStatistics).Normalize(raw, Settings.ObservationClip) : (float[])raw.Clone();
    }

    float ScaleReward(float reward, double scale) =>
        Settings.NormalizeRewards ? (float)Math.Clamp(reward * scale, -Settings.RewardClip, Settings.RewardClip) : reward;

    /// <summary>
    /// Settings, shapes, weights, normaliser statistics and the learner's Adam state as one
    /// versioned blob (<see cref="PolicyBlob"/>); bit-exact round trip.
    /// </summary>
    public byte[] ToBlob() => PolicyBlob.Write(this);

    /// <summary>Restores an agent from <see cref="ToBlob"/>; a corrupt or foreign blob throws <see cref="InputException"/>.</summary>
    public static PpoAgent FromBlob(byte[] blob) => PolicyBlob.Read(blob);

    /// <summary>
    /// A copy of this agent under other PPO hyper-parameters (population-based training's
    /// exploit): the same shapes, weights, normaliser statistics, update count, Adam moments and
    /// steps, bit for bit (<see cref="PolicyBlob.LearnedState"/> of both is equal), with
    /// <paramref name="settings"/> and <paramref name="seed"/> (minibatch shuffles) from now on.
    /// <paramref name="settings"/> must describe the same networks (hidden widths, learnable or
    /// fixed std); only values the update reads, such as the learning rate, may differ.
    /// </summary>
    public PpoAgent Retuned(PpoSettings settings, int seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.ActorHidden.SequenceEqual(Settings.ActorHidden) || !settings.CriticHidden.SequenceEqual(Settings.CriticHidden)
            || (settings.FixedStd is null) != (Settings.FixedStd is null))
            throw new ArgumentException("retuned settings must describe the same networks (hidden widths, learnable or fixed std)", nameof(settings));
        var copy = new PpoAgent(settings, ObservationSize, ActionSpace, seed)
        {
            Updates = Updates,
            Spec = Spec,
            Problem = Problem,
            ObservationStatistics = ObservationStatistics.Copy(),
            ReturnStatistics = ReturnStatistics.Copy(),
        };
        using (no_grad())
        {
            for (var i = 0; i < Parameters.Count; i++) copy.Parameters[i].copy_(Parameters[i]);
            for (var i = 0; i < Parameters.Count; i++)
            {
                copy._optimizer.FirstMoments[i].copy_(_optimizer.FirstMoments[i]);
                copy._optimizer.SecondMoments[i].copy_(_optimizer.SecondMoments[i]);
            }
        }
        copy._optimizer.Steps = _optimizer.Steps;
        return copy;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _actor.Dispose();
        _critic.Dispose();
        _logStd?.Dispose();
    }
}
