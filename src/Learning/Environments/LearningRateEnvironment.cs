using Alrs.Learning.Data;
using Alrs.Learning.Networks;
using Alrs.Learning.Rl;
using Alrs.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Alrs.Learning.Environments;

/// <summary>
/// The controller's environment: one episode trains a fresh child network for
/// <see cref="EnvironmentSettings.Steps"/> optimizer steps; every
/// <see cref="EnvironmentSettings.DecisionInterval"/> steps the controller observes training
/// statistics and changes the learning rate. Everything in an episode (initial weights, data
/// order, noise) follows from the seed given to <see cref="Reset"/>.
/// </summary>
/// <remarks>
/// Cheap outside the child: the data stays on the device, batches are slices of a
/// precomputed permutation, the train loss is summed on the device and, with every other
/// statistic, read back in one transfer per decision. Not thread-safe: one environment per thread.
/// </remarks>
public sealed class LearningRateEnvironment : ILearningEnvironment, IControllerBoundEnvironment
{
    EnvironmentSettings _settings;
    readonly ChildArchitecture _architecture;
    readonly DatasetSplits _data;
    readonly Device _device;
    IObservationFeatures _features;
    IActionMapping _actions;
    readonly List<Tensor> _owned = [];
    readonly long[] _batchShape;
    readonly Tensor _trainImages, _trainRows, _trainLabels, _fullValidationImages, _fullValidationLabels, _validationImages, _validationLabels;
    Tensor? _testImages, _testLabels;

    ChildNetwork? _network;
    optim.Optimizer? _optimizer;
    Generator? _dataOrder;
    Random _noise = new(0);
    Tensor? _permutation;
    long _permutationOffset;
    Tensor? _trainLossSum;
    Tensor? _previousPredictions;
    double _previousValidationLoss;
    float[] _lastObservation = [];
    double[]? _reference;
    int _step;
    bool _done = true;

    /// <summary>
    /// An environment training <paramref name="architecture"/> (mlp, lenet5, resnet18) on
    /// <paramref name="data"/>. The data is not owned (several environments may share it);
    /// on a non-CPU device it is copied there once.
    /// </summary>
    public LearningRateEnvironment(DatasetSplits data, string architecture, EnvironmentSettings settings)
        : this(data, ChildArchitecture.BuiltIn(architecture), settings)
    {
    }

    /// <summary>As above, for any architecture: a built-in one or a described layer list; the output layer has the data set's class count.</summary>
    public LearningRateEnvironment(DatasetSplits data, ChildArchitecture architecture, EnvironmentSettings settings)
    {
        TorchRuntime.EnsureLoadable();
        _settings = settings.Validate();
        _data = data;
        _architecture = architecture;
        CheckFits(data, settings);
        _device = TorchRuntime.ResolveDevice(settings.Device);
        _features = settings.Features();
        _actions = ActionMappings.For(settings);

        _trainImages = OnDevice(data.Train.Images);
        _trainRows = Keep(_trainImages.view(_trainImages.shape[0], -1));
        _batchShape = [settings.BatchSize, data.Channels, data.Height, data.Width];
        _trainLabels = OnDevice(data.Train.Labels);
        // The validation split is a random hold-out already, so its first N images are a fixed random subset.
        var validation = Math.Min(settings.ValidationSamples, data.Validation.Count);
        _fullValidationImages = OnDevice(data.Validation.Images);
        _fullValidationLabels = OnDevice(data.Validation.Labels);
        _validationImages = Keep(_fullValidationImages.narrow(0, 0, validation));
        _validationLabels = Keep(_fullValidationLabels.narrow(0, 0, validation));
    }

    /// <summary>Refuses settings the data set is too small for, before anything is started or written.</summary>
    public static void CheckFits(DatasetSplits data, EnvironmentSettings settings)
    {
        if (settings.BatchSize > data.Train.Count)
            throw new InputException($"alrs.env.batch-size {settings.BatchSize} exceeds the {data.Train.Count} training samples of {data.Name}");
    }

    public EnvironmentSettings Settings => _settings;

    public ControllerSpec Spec => ControllerSpec.Of(_settings);

    /// <summary>
    /// Observes, acts and rewards as <paramref name="spec"/> says from the next <see cref="Reset"/>
    /// on (the child problem stays); an episode in progress is abandoned by that Reset anyway.
    /// </summary>
    public void Bind(ControllerSpec spec)
    {
        var settings = spec.ApplyTo(_settings).Validate();
        (_settings, _features, _actions) = (settings, settings.Features(), ActionMappings.For(settings));
    }
    public string Architecture => _architecture.Name;
    public int ObservationSize => _features.Size;
    public ActionSpace ActionSpace => _actions.Space;
    public IObservationFeatures Features => _features;

    /// <summary>The learning rate the child uses now.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Child steps taken in the current episode.</summary>
    public int StepCount => _step;

    /// <summary>
    /// Every child optimizer step trained since <see cref="Reset"/>, including steps that a
    /// <see cref="Restore"/> later discarded (an online tuner's probes): the child compute spent.
    /// </summary>
    public long ChildStepsTrained { get; private set; }

    /// <summary>The current episode's child network (null before the first <see cref="Reset"/>).</summary>
    public ChildNetwork? Network => _network;

    /// <summary>Accumulated time split, for the overhead budget.</summary>
    public EnvironmentTimings Timings { get; } = new();

    /// <summary>
    /// Starts an episode: a fresh child initialised from <paramref name="seed"/> (or its pooled
    /// child when training with a child-seed pool), a seeded data order, the initial rate (drawn
    /// and perturbed from the seed unless evaluating). With a relative reward the base's curve on
    /// that child is computed first when no environment of the process has it yet.
    /// Returns the first observation, measured before any training.
    /// </summary>
    public float[] Reset(int seed)
    {
        var child = ChildSeed(seed);
        // Before the episode's child exists: the base's curve on this child is an episode of its own.
        // Evaluation reports losses, not returns, so it does not pay for the curve (its rewards are plain improvements).
        var reference = _settings.Reward == RewardMode.Relative && !_settings.Evaluation ? ReferenceCurve(child, seed) : null;
        var observation = Begin(child, seed);
        _reference = reference;
        return observation;
    }

    /// <summary>The child of a training episode: its own, or one of <see cref="EnvironmentSettings.ChildSeedPool"/>.</summary>
    int ChildSeed(int seed) =>
        _settings.Evaluation || _settings.ChildSeedPool == 0
            ? seed
            : EnvironmentSettings.PooledChildSeedBase + (int)(((long)seed % _settings.ChildSeedPool + _settings.ChildSeedPool) % _settings.ChildSeedPool);

    /// <summary>
    /// The validation loss of the residual base at reset and after every decision on child
    /// <paramref name="child"/>, from the process-wide cache or by running it here (its steps
    /// count in <see cref="ChildStepsTrained"/> of no episode: Begin resets that).
    /// </summary>
    double[] ReferenceCurve(int child, int seed)
    {
        var residual = (ResidualActions)_actions;
        var problem = string.Join('|', _data.Name, _data.Train.Count, _data.Validation.Count, _architecture.Description, _settings.Steps, _settings.BatchSize,
            _settings.DecisionInterval, _settings.Optimizer, _settings.Momentum, _settings.MinLearningRate, _settings.MaxLearningRate,
            _settings.ValidationSamples, _settings.ResidualBase, _device.type, _device.index);
        return ReferenceCurves.GetOrCompute(problem, child, () =>
        {
            _reference = null;
            Begin(child, seed);
            var curve = new List<double> { _previousValidationLoss };
            StepResult result;
            do
            {
                result = StepFollowing(residual.Base.At);
                // After a divergence the base gives no reference: NaN makes the later relative rewards plain improvements.
                curve.Add(result.Info[StepInfo.Diverged] > 0 ? double.NaN : result.Info[StepInfo.ValidationLoss]);
            } while (!result.Done);
            return [.. curve];
        });
    }

    float[] Begin(int child, int seed)
    {
        var start = EnvironmentTimings.Now;
        DisposeEpisode();
        // Initialised from the seed through a private generator: independent of other threads' torch use.
        _network = ChildNetworks.Create(_architecture, _data.Channels, _data.Height, _data.Width, _data.Classes, _device, child);
        _network.train();
        _dataOrder = new Generator(unchecked((ulong)child));
        _noise = new Random(seed);
        _permutationOffset = 0;
        _step = 0;
        ChildStepsTrained = 0;
        _done = false;
        _features.Reset();
        _trainLossSum = zeros(1, ScalarType.Float64, _device);

        var rate = _settings.InitialLearningRateChoices.Count > 0
            ? _settings.InitialLearningRateChoices[_noise.Next(_settings.InitialLearningRateChoices.Count)]
            : _settings.InitialLearningRate;
        var perturbation = Gaussian() * rate * _settings.InitialLearningRateRelativeNoise;
        if (!_settings.Evaluation) rate += perturbation;
        // A residual controller starts where its base schedule does, like the tuned baselines.
        if (_actions is ResidualActions residual) rate = residual.InitialRate;
        LearningRate = Clip(rate);
        _optimizer = CreateOptimizer(_network, LearningRate);
        Timings.Overhead += EnvironmentTimings.Since(start);

        var measurement = Measure(intervalSteps: 0);
        _previousValidationLoss = measurement.ValidationLoss;
        _lastObservation = Sanitised(_features.Observe(measurement));
        return _lastObservation;
    }

    /// <summary>Applies the controller's action to the rate, trains one decision interval, measures.</summary>
    public StepResult Step(float[] action)
    {
        EnsureRunning();
        var noise = Gaussian() * _settings.LearningRateNoiseStd;
        // Drawn only when configured, so configurations without it keep their random streams.
        var relativeNoise = _settings.LearningRateRelativeNoiseStd > 0 ? Math.Exp(Gaussian() * _settings.LearningRateRelativeNoiseStd) : 1.0;
        if (_settings.Evaluation) (noise, relativeNoise) = (0, 1);
        if (_actions is ResidualActions residual)
        {
            // Every step of the interval follows the base, scaled by the decision's multiplier.
            // The late cap bounds the controller's choice; the exploration noise stays on top of it.
            var multiplier = residual.Multiplier(action, (double)_step / _settings.Steps) * relativeNoise;
            for (var i = 0; i < _settings.DecisionInterval; i++)
            {
                SetLearningRate(Clip(residual.Base.At(_step) * multiplier + noise));
                TrainStep();
            }
            return Decide();
        }
        SetLearningRate(Clip(_actions.Apply(LearningRate, action) * relativeNoise + noise));
        for (var i = 0; i < _settings.DecisionInterval; i++) TrainStep();
        return Decide();
    }

    /// <summary>
    /// Schedule mode (baselines): trains one decision interval with the rate given per child
    /// step by <paramref name="learningRateAt"/> (child step index from 0; clipped to the
    /// bounds; no noise), ignoring the controller. Same child and data order as a controller
    /// episode with the same seed.
    /// </summary>
    public StepResult StepFollowing(Func<int, double> learningRateAt)
    {
        EnsureRunning();
        for (var i = 0; i < _settings.DecisionInterval; i++)
        {
            SetLearningRate(Clip(learningRateAt(_step)));
            TrainStep();
        }
        return Decide();
    }

    /// <summary>
    /// Online-tuner mode: trains one decision interval, asking <paramref name="rateAfterGradients"/>
    /// for each child step's rate (child step index from 0; clipped; no noise) after that step's
    /// backward pass, while the network's gradients are in place and before the optimizer uses them.
    /// </summary>
    public StepResult StepAdapting(Func<int, double> rateAfterGradients)
    {
        EnsureRunning();
        for (var i = 0; i < _settings.DecisionInterval; i++) TrainStep(rateAfterGradients);
        return Decide();
    }

    /// <summary>
    /// A copy of everything the kept trajectory depends on: weights and buffers, optimizer
    /// state, data position, step count, rate and measurement state (not the observation
    /// features' history, which only a controller reads). Dispose it when done.
    /// </summary>
    public ChildSnapshot Snapshot()
    {
        if (_network is null) throw new InvalidOperationException("no episode yet: call Reset first");
        return ChildSnapshot.Capture(_network, _optimizer!, _dataOrder!, _permutation, _permutationOffset, _step, _done, LearningRate, _trainLossSum!, _previousPredictions);
    }

    /// <summary>Returns the episode to <paramref name="snapshot"/> of this episode, bit for bit; <see cref="ChildStepsTrained"/> keeps counting.</summary>
    public void Restore(ChildSnapshot snapshot)
    {
        if (_network is null) throw new InvalidOperationException("no episode yet: call Reset first");
        snapshot.RestoreInto(_network, _optimizer!, _dataOrder!, _trainLossSum!);
        _permutation?.Dispose();
        _permutation = snapshot.CopyOfPermutation();
        _previousPredictions?.Dispose();
        _previousPredictions = snapshot.CopyOfPreviousPredictions();
        (_permutationOffset, _step, _done) = (snapshot.PermutationOffset, snapshot.Step, snapshot.Done);
        SetLearningRate(snapshot.LearningRate);
    }

    /// <summary>Loss and accuracy of the current child on the first <paramref name="samples"/> images of the validation split (all when ≥ its size).</summary>
    public ChildEvaluation EvaluateValidation(int samples)
    {
        var network = _network ?? throw new InvalidOperationException("no episode yet: call Reset first");
        using var images = _fullValidationImages.narrow(0, 0, Math.Min(samples, _fullValidationImages.shape[0]));
        using var labels = _fullValidationLabels.narrow(0, 0, images.shape[0]);
        return ChildEvaluation.Of(network, images, labels, _settings.EvaluationBatchSize);
    }

    /// <summary>Loss and accuracy of the current child on the test split.</summary>
    public ChildEvaluation EvaluateTest()
    {
        var network = _network ?? throw new InvalidOperationException("no episode yet: call Reset first");
        _testImages ??= OnDevice(_data.Test.Images);
        _testLabels ??= OnDevice(_data.Test.Labels);
        return ChildEvaluation.Of(network, _testImages, _testLabels, _settings.EvaluationBatchSize);
    }

    /// <summary>Loss and accuracy of the current child on the whole validation split.</summary>
    public ChildEvaluation EvaluateValidation()
    {
        var network = _network ?? throw new InvalidOperationException("no episode yet: call Reset first");
        return ChildEvaluation.Of(network, _fullValidationImages, _fullValidationLabels, _settings.EvaluationBatchSize);
    }

    void TrainStep(Func<int, double>? rateAfterGradients = null)
    {
        var start = EnvironmentTimings.Now;
        using var scope = NewDisposeScope();
        var indices = NextBatch();
        // Gathering rows of the (N, C·H·W) view is a plain row copy; the 4-d gather is slower.
        var images = _trainRows.index_select(0, indices).view(_batchShape);
        var labels = _trainLabels.index_select(0, indices);
        var prepared = EnvironmentTimings.Now;

        _optimizer!.zero_grad();
        var loss = nn.functional.cross_entropy(_network!.forward(images), labels);
        loss.backward();
        if (rateAfterGradients is not null) SetLearningRate(Clip(rateAfterGradients(_step)));
        _optimizer.step();
        var trained = EnvironmentTimings.Now;

        using (no_grad()) _trainLossSum!.add_(loss.detach().to(ScalarType.Float64));
        _step++;
        ChildStepsTrained++;
        Timings.ChildTraining += EnvironmentTimings.Between(prepared, trained);
        Timings.BatchGathering += EnvironmentTimings.Between(start, prepared);
        Timings.Overhead += EnvironmentTimings.Since(trained);
    }

    /// <summary>The next batch's indices: consecutive slices of a seeded permutation; a new one each epoch (its incomplete tail is skipped).</summary>
    Tensor NextBatch()
    {
        var count = _trainImages.shape[0];
        if (_permutation is null || _permutationOffset + _settings.BatchSize > count)
        {
            _permutation?.Dispose();
            _permutation = randperm(count, generator: _dataOrder).to(_device).DetachFromDisposeScope();
            _permutationOffset = 0;
        }
        var slice = _permutation.narrow(0, _permutationOffset, _settings.BatchSize);
        _permutationOffset += _settings.BatchSize;
        return slice;
    }

    StepResult Decide()
    {
        var measurement = Measure(_settings.DecisionInterval);
        var start = EnvironmentTimings.Now;
        var diverged = measurement.Diverged;
        _done = diverged || _step >= _settings.Steps;
        double reward = diverged ? _settings.DivergencePenalty : _settings.Reward switch
        {
            RewardMode.Dense => -measurement.ValidationLoss,
            RewardMode.Final => _done ? -measurement.ValidationLoss : 0,
            RewardMode.Authors => 2.0 - measurement.ValidationLoss,
            RewardMode.Improvement => _previousValidationLoss - measurement.ValidationLoss,
            RewardMode.Relative => _previousValidationLoss - measurement.ValidationLoss - ReferenceImprovement(),
            _ => throw new InvalidOperationException($"unhandled reward mode {_settings.Reward}"),
        };
        // A diverged child has no meaningful statistics: repeat the last finite observation.
        if (!diverged)
        {
            _lastObservation = Sanitised(_features.Observe(measurement));
            _previousValidationLoss = measurement.ValidationLoss;
        }
        var info = new Dictionary<string, double>
        {
            [StepInfo.LearningRate] = LearningRate,
            [StepInfo.TrainLoss] = measurement.TrainLoss,
            [StepInfo.ValidationLoss] = measurement.ValidationLoss,
            [StepInfo.ValidationAccuracy] = measurement.ValidationAccuracy,
            [StepInfo.Step] = _step,
            [StepInfo.Diverged] = diverged ? 1 : 0,
        };
        Timings.Overhead += EnvironmentTimings.Since(start);
        return new StepResult((float[])_lastObservation.Clone(), (float)reward, _done, info);
    }

    /// <summary>The base's improvement over the decision just taken on this child (0 where its curve has none).</summary>
    double ReferenceImprovement()
    {
        var decision = _step / _settings.DecisionInterval;
        if (_reference is null || decision >= _reference.Length) return 0;
        var improvement = _reference[decision - 1] - _reference[decision];
        return double.IsFinite(improvement) ? improvement : 0;
    }

    /// <summary>
    /// All statistics of this decision in one device-to-host transfer. With
    /// <paramref name="intervalSteps"/> = 0 (at reset) the train loss is taken to be the validation loss.
    /// </summary>
    DecisionMeasurement Measure(int intervalSteps)
    {
        var start = EnvironmentTimings.Now;
        using var scope = NewDisposeScope();
        var network = _network!;
        var kept = _features.OnLogits ? ChildEvaluation.Predictions.Logits : ChildEvaluation.Predictions.Probabilities;
        var sums = ChildEvaluation.Sums(network, _validationImages, _validationLabels, _settings.EvaluationBatchSize, kept, out var predictions);
        var validated = EnvironmentTimings.Now;

        using var _ = no_grad();
        var (first, second) = network.ObservedWeights;
        var trainLoss = intervalSteps > 0 ? _trainLossSum! / intervalSteps : sums[0] / (double)_validationImages.shape[0];
        var measurement = DecisionMeasurements.Read(trainLoss, sums[0], sums[1], _validationImages.shape[0], predictions!, _previousPredictions,
            network.OutputLayer.weight!, first, second, LearningRate, progress: (double)_step / _settings.Steps);

        _previousPredictions?.Dispose();
        _previousPredictions = predictions!.DetachFromDisposeScope();
        _trainLossSum!.zero_();
        Timings.Validation += EnvironmentTimings.Between(start, validated);
        Timings.Overhead += EnvironmentTimings.Since(validated);
        return measurement;
    }

    optim.Optimizer CreateOptimizer(ChildNetwork network, double rate) => _settings.Optimizer switch
    {
        ChildOptimizer.Adam => new ChildAdam(network.parameters(), rate),
        ChildOptimizer.Sgd => new ChildSgd(network.parameters(), rate),
        ChildOptimizer.Momentum => new ChildSgd(network.parameters(), rate, _settings.Momentum),
        _ => throw new InvalidOperationException($"unhandled optimizer {_settings.Optimizer}"),
    };

    void SetLearningRate(double rate)
    {
        LearningRate = rate;
        foreach (var group in _optimizer!.ParamGroups) group.LearningRate = rate;
    }

    double Clip(double rate) => Math.Clamp(double.IsFinite(rate) ? rate : _settings.MinLearningRate, _settings.MinLearningRate, _settings.MaxLearningRate);

    /// <summary>A standard normal draw from the episode's seeded generator (Box–Muller). Always drawn, so evaluation and training consume the same stream.</summary>
    double Gaussian()
    {
        var u1 = 1.0 - _noise.NextDouble();
        var u2 = _noise.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Observations must stay finite for the policy's normaliser: non-finite features become 0.</summary>
    static float[] Sanitised(float[] observation)
    {
        for (var i = 0; i < observation.Length; i++)
            if (!float.IsFinite(observation[i])) observation[i] = 0;
        return observation;
    }

    void EnsureRunning()
    {
        if (_network is null) throw new InvalidOperationException("no episode yet: call Reset first");
        if (_done) throw new InvalidOperationException($"the episode is over after {_step} steps: call Reset");
    }

    /// <summary>The tensor itself when already there (TorchSharp's Device has no value equality), else an owned copy.</summary>
    Tensor OnDevice(Tensor tensor) =>
        tensor.device.type == _device.type && tensor.device.index == _device.index ? tensor : Keep(tensor.to(_device));

    Tensor Keep(Tensor tensor)
    {
        _owned.Add(tensor);
        return tensor;
    }

    void DisposeEpisode()
    {
        _optimizer?.Dispose();
        _network?.Dispose();
        _permutation?.Dispose();
        _trainLossSum?.Dispose();
        _previousPredictions?.Dispose();
        _dataOrder?.Dispose();
        (_optimizer, _network, _permutation, _trainLossSum, _previousPredictions, _dataOrder) = (null, null, null, null, null, null);
    }

    public void Dispose()
    {
        DisposeEpisode();
        foreach (var tensor in _owned) tensor.Dispose();
        _owned.Clear();
    }
}
