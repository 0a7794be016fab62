using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Messages;

namespace Alrs.Bench;

/// <summary>
/// The bare baseline of the overhead benchmark: N dedicated threads (as the actor system's
/// pinned dispatcher gives N environment actors), each running the EnvironmentActor's
/// decision loop without any actor: act with a policy adopted from a blob, step the
/// environment, record the decision, cut a fragment every fragment-decisions (bootstrapping
/// it with the critic) and at an episode's end, with the same seeds. Nothing is sent and the
/// policy never changes: no learner, no messages, no persistence.
/// </summary>
public static class BareTraining
{
    public static void Run(int environments, int fragmentDecisions, int environmentSeed, byte[] policyBlob,
        Func<int, ILearningEnvironment> factory, DecisionMeter meter)
    {
        var failures = new Exception?[environments];
        var threads = Enumerable.Range(0, environments).Select(index => new Thread(() =>
        {
            try
            {
                Loop(index, fragmentDecisions, environmentSeed, policyBlob, factory, meter);
            }
            catch (Exception e)
            {
                failures[index] = e;
            }
        })
        {
            IsBackground = true,
            Name = $"bare-env-{index}",
        }).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
            throw new InvalidOperationException($"a bare training loop failed: {failure.Message}", failure);
    }

    static void Loop(int index, int fragmentDecisions, int environmentSeed, byte[] policyBlob,
        Func<int, ILearningEnvironment> factory, DecisionMeter meter)
    {
        using var environment = factory(index);
        using var agent = PpoAgent.FromBlob(policyBlob);
        var random = new Random(unchecked(environmentSeed + index));
        var pending = new List<DecisionRecord>();

        for (var episode = 0; !meter.IsFinished; episode++)
        {
            var observation = environment.Reset(unchecked(environmentSeed + index * 100_003 + episode));
            var done = false;
            var sequence = 0;
            while (!done && !meter.IsFinished)
            {
                var decision = agent.Act(observation, deterministic: false, random);
                var step = environment.Step(decision.Action);
                pending.Add(new DecisionRecord(observation, decision.Action, decision.LogProb, decision.Value, step.Reward, step.Done));
                observation = step.Observation;
                done = step.Done;
                if (done || pending.Count >= fragmentDecisions)
                {
                    var bootstrap = done ? 0f : agent.Value(observation);
                    // Built as the actor builds it; where the actor sends it, the bare loop drops it.
                    _ = new TrajectoryFragment($"env-{index}", episode, sequence++, 0, pending.ToArray(), bootstrap, done);
                    pending.Clear();
                }
            }
        }
    }
}
