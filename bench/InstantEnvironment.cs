using Alrs.Learning.Rl;

namespace Alrs.Bench;

/// <summary>
/// An environment whose decisions cost nothing, with the learning-rate environment's shapes
/// (observation size, action space, 100 decisions per episode): isolates the actor system's
/// own costs (messages, policy adoption) from child training.
/// </summary>
public sealed class InstantEnvironment(int observationSize, ActionSpace actionSpace, int decisionsPerEpisode = 100) : ILearningEnvironment
{
    Random _random = new(0);
    int _decisions;

    public int ObservationSize => observationSize;
    public ActionSpace ActionSpace => actionSpace;

    public float[] Reset(int seed)
    {
        _random = new Random(seed);
        _decisions = 0;
        return Observation();
    }

    public StepResult Step(float[] action)
    {
        _decisions++;
        var done = _decisions >= decisionsPerEpisode;
        return new StepResult(Observation(), -(float)_random.NextDouble(), done, new Dictionary<string, double> { ["val_loss"] = 0.5, ["lr"] = 1e-3 });
    }

    float[] Observation() => Enumerable.Range(0, observationSize).Select(_ => (float)_random.NextDouble()).ToArray();

    public void Dispose() { }
}
