using Alrs.Learning;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Optimizer = TorchSharp.torch.optim.Optimizer;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Alrs.Schedules;

/// <summary>
/// A learned alrs policy driving an optimizer's learning rate from inside any training loop,
/// as a TorchSharp <see cref="LRScheduler"/>: call <c>step(loss)</c> after every
/// <c>optimizer.step()</c>. Every <see cref="EnvironmentSettings.DecisionInterval"/> steps it
/// measures the network (<see cref="ControllerInputs"/>), turns that into the policy's
/// observation with Alrs.Learning's features, and sets the rate with Alrs.Learning's action
/// mapping, clipped to the rate bounds; the first decision is made at construction, before
/// any training, as an <c>alrs evaluate</c> episode does. It acts deterministically (no
/// noise), so with the same network, data order and settings it sets the rates
/// <c>alrs evaluate</c> reports. After <see cref="EnvironmentSettings.Steps"/> steps it goes
/// on deciding (a progress feature then exceeds 1, which the policy never saw).
/// </summary>
public sealed class LearnedSchedule : LRScheduler, IDisposable
{
    readonly Optimizer _optimizer;
    readonly PpoAgent _agent;
    readonly IObservationFeatures _features;
    readonly IActionMapping _actions;
    readonly DecisionStatistics _statistics;
    readonly Random _unused = new(0); // deterministic acting draws nothing
    readonly List<double> _rates = [];
    float[] _observation;
    double _lossSum;
    int _intervalSteps;

    /// <param name="optimizer">The optimizer whose every parameter group gets the rate; its current rate is the start.</param>
    /// <param name="agent">The policy; the schedule owns and disposes it.</param>
    /// <param name="settings">Decision interval, episode steps and rate bounds (the rest of the environment settings is unused); the policy's recorded observation and action kinds replace the ones given.</param>
    /// <param name="inputs">What the policy observes of the network.</param>
    public LearnedSchedule(Optimizer optimizer, PpoAgent agent, EnvironmentSettings settings, ControllerInputs inputs)
        : base(optimizer)
    {
        _optimizer = optimizer;
        _agent = agent;
        Settings = (agent.Spec?.ApplyTo(settings) ?? settings).Validate();
        _features = Settings.Features();
        _actions = ActionMappings.Create(Settings.Action, Settings.ActionFactor);
        if (agent.ObservationSize != _features.Size || agent.ActionSpace != _actions.Space)
            throw new InputException($"the policy expects {agent.ObservationSize} observations and a {agent.ActionSpace} action, but observation = {Settings.Observation}, " +
                                     $"action = {Settings.Action} give {_features.Size} and {_actions.Space}" +
                                     (agent.Spec is null ? ": the policy records no controller spec, so pass the EnvironmentSettings it was trained with" : ""));
        if (Settings.Observation == ObservationFeatures.Authors && (inputs.FirstWeight is null || inputs.SecondWeight is null))
            throw new InputException("this policy observes the weights of the first two layers (authors features): set ControllerInputs.FirstWeight and SecondWeight");
        _statistics = new DecisionStatistics(inputs, _features.OnLogits);

        LearningRate = Clip(optimizer.ParamGroups.First().LearningRate);
        _features.Reset();
        _observation = Sanitised(_features.Observe(_statistics.Measure(trainLoss: null, LearningRate, progress: 0)));
        Decide();
    }

    /// <summary>The settings the policy runs with: the ones given, with the policy's observation and action kinds.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>The rate the optimizer has now.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Child steps taken (calls of step).</summary>
    public int Steps { get; private set; }

    /// <summary>The rate set at each decision, the first at construction.</summary>
    public IReadOnlyList<double> Decisions => _rates;

    /// <summary>Not for a learned schedule: it needs the step's training loss.</summary>
    public override void step(int? epoch) =>
        throw new InvalidOperationException("a learned schedule observes the training loss: call step(loss) after optimizer.step()");

    /// <summary>After <c>optimizer.step()</c>: records the step's training loss and, at the end of a decision interval, sets the next rate.</summary>
    public override void step(double current, int? epoch = null)
    {
        _lossSum += current;
        _intervalSteps++;
        Steps++;
        if (_intervalSteps < Settings.DecisionInterval) return;
        var measurement = _statistics.Measure(_lossSum / _intervalSteps, LearningRate, (double)Steps / Settings.Steps);
        (_lossSum, _intervalSteps) = (0, 0);
        // A diverged network has no meaningful statistics: the last finite observation stands, as in the environment.
        if (!measurement.Diverged) _observation = Sanitised(_features.Observe(measurement));
        Decide();
    }

    /// <summary><see cref="step(double, int?)"/> with the loss tensor of the step (one value read from the device).</summary>
    public void step(Tensor loss) => step(current: (double)loss.detach().cpu().to(ScalarType.Float32).item<float>(), epoch: null);

    protected override IEnumerable<double> get_lr() => _optimizer.ParamGroups.Select(_ => LearningRate);

    void Decide()
    {
        var decision = _agent.Act(_observation, deterministic: true, _unused);
        LearningRate = Clip(_actions.Apply(LearningRate, decision.Action));
        _rates.Add(LearningRate);
        base.step(null);
    }

    double Clip(double rate) => Math.Clamp(double.IsFinite(rate) ? rate : Settings.MinLearningRate, Settings.MinLearningRate, Settings.MaxLearningRate);

    /// <summary>Non-finite features become 0, as the environment hands them to the policy.</summary>
    static float[] Sanitised(float[] observation)
    {
        for (var i = 0; i < observation.Length; i++)
            if (!float.IsFinite(observation[i])) observation[i] = 0;
        return observation;
    }

    public void Dispose()
    {
        _statistics.Dispose();
        _agent.Dispose();
    }
}
