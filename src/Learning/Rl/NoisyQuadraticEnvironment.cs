namespace Alrs.Learning.Rl;

/// <summary>
/// A learning-rate problem small enough for unit tests (microseconds per step) whose good
/// schedule is known: SGD with noisy gradients on the quadratic ½·Σ hᵢxᵢ² (curvatures 1 down
/// to 0.1). An episode starts from a random point with a rate 100–1000× too small; each
/// decision scales the rate, then runs a few SGD steps. Rates above 2 (= 2/max h) diverge.
/// The best schedule therefore raises the rate quickly to about 1, holds it, and lowers it
/// near the end to shrink the noise floor; a random policy barely moves the rate.
/// </summary>
/// <remarks>
/// Observation (3): log10 of the loss, log10 of the rate, fraction of the episode done.
/// Reward: −loss after the decision's steps (capped at <see cref="LossCap"/>), as the paper's
/// −validation loss. Discrete actions: 0 = ÷<see cref="Factor"/>, 1 = keep, 2 = ×<see cref="Factor"/>.
/// Continuous: a ∈ [−1, 1] (clipped here) scales the rate by Factor^a.
/// </remarks>
public sealed class NoisyQuadraticEnvironment : ILearningEnvironment
{
    public const double Factor = 2.0, LossCap = 10.0, GradientNoise = 0.1, MinRate = 1e-5, MaxRate = 8.0;
    static readonly double[] Curvatures = [1.0, 0.6, 0.35, 0.2, 0.1];

    readonly double[] _x = new double[Curvatures.Length];
    Random _random = new(0);
    double _rate;
    int _decision;

    public NoisyQuadraticEnvironment(bool continuousActions, int decisionsPerEpisode = 20, int stepsPerDecision = 5)
    {
        if (decisionsPerEpisode < 1 || stepsPerDecision < 1) throw new ArgumentException("decisions and steps must be positive");
        ActionSpace = continuousActions ? ActionSpace.Continuous(-1, 1) : ActionSpace.Discrete(3);
        DecisionsPerEpisode = decisionsPerEpisode;
        StepsPerDecision = stepsPerDecision;
    }

    public int ObservationSize => 3;
    public ActionSpace ActionSpace { get; }
    public int DecisionsPerEpisode { get; }
    public int StepsPerDecision { get; }
    /// <summary>The learning rate now in effect.</summary>
    public double Rate => _rate;

    public float[] Reset(int seed)
    {
        _random = new Random(seed);
        for (var i = 0; i < _x.Length; i++) _x[i] = 2 * _random.NextDouble() - 1;
        _rate = Math.Pow(10, -3 + _random.NextDouble()); // 1e-3 .. 1e-2
        _decision = 0;
        return Observe();
    }

    public StepResult Step(float[] action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Length != 1) throw new ArgumentException($"one action value expected, got {action.Length}");
        var exponent = ActionSpace.IsDiscrete ? Math.Clamp((int)action[0], 0, 2) - 1 : Math.Clamp(action[0], -1.0, 1.0);
        _rate = Math.Clamp(_rate * Math.Pow(Factor, exponent), MinRate, MaxRate);

        for (var step = 0; step < StepsPerDecision; step++)
            for (var i = 0; i < _x.Length; i++)
            {
                var gradient = Curvatures[i] * _x[i] + GradientNoise * Gaussian();
                // Bounded so a diverging run stays finite: the loss is capped anyway.
                _x[i] = Math.Clamp(_x[i] - _rate * gradient, -1e3, 1e3);
            }

        _decision++;
        var loss = Loss();
        var info = new Dictionary<string, double> { ["lr"] = _rate, ["train_loss"] = loss, ["diverged"] = loss >= LossCap ? 1 : 0 };
        return new StepResult(Observe(), (float)-Math.Min(loss, LossCap), _decision >= DecisionsPerEpisode, info);
    }

    double Loss()
    {
        double loss = 0;
        for (var i = 0; i < _x.Length; i++) loss += 0.5 * Curvatures[i] * _x[i] * _x[i];
        return loss;
    }

    float[] Observe() =>
        [(float)Math.Log10(Math.Max(Loss(), 1e-12)), (float)Math.Log10(_rate), (float)_decision / DecisionsPerEpisode];

    double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * _random.NextDouble());
    }

    public void Dispose() { }
}
