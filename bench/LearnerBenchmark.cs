using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Alrs.Actors;
using Alrs.Learning.Environments;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Messages;
using TorchSharp;

namespace Alrs.Bench;

/// <summary>
/// <c>learner</c>: the learner's side of one training cycle, at the reference controller's
/// shapes (7 observations, 3 discrete actions, 32-32 actor and critic, 4 epochs × 4 minibatches):
/// <list type="number">
/// <item>PPO update time for a batch of 100 × N decisions (N = environments), with the
/// libtorch threads the actor system would use (processors / N) and with 1 thread;</item>
/// <item>policy publish latency: the learner's Tell of a new <see cref="PolicyVersion"/> to N
/// real <see cref="EnvironmentActor"/>s until all have adopted it (checksum, PpoAgent.FromBlob)
/// and answered a status request, on instant environments, so only the mechanism is timed;</item>
/// <item>serialised size and serialise / deserialise time of a trajectory fragment
/// (fragment-decisions decisions) and of a policy version, with the serializer the actor
/// system picks for them.</item>
/// </list>
/// </summary>
public sealed class LearnerBenchmark : IBenchmark
{
    const int DecisionsPerEpisode = 100;

    public string Name => "learner";
    public string Synopsis => "[--envs 1,2,4] [--repeats K]";

    public async Task<string> RunAsync(BenchOptions options, TextWriter log)
    {
        var environmentSettings = new EnvironmentSettings();
        var observationSize = environmentSettings.Features().Size;
        var actionSpace = ActionMappings.For(environmentSettings).Space;
        var counts = options.EnvironmentsOr(1, 2, 4);
        var processors = Environment.ProcessorCount;
        var summary = new List<string>();

        log.WriteLine($"learner: controller with {observationSize} observations, {actionSpace}; {options.Repeats} repeats");
        foreach (var environments in counts)
        {
            foreach (var threads in new[] { Math.Max(1, processors / environments), 1 }.Distinct())
            {
                var update = UpdateTime(environments, threads, observationSize, actionSpace, options.Repeats);
                log.WriteLine($"  PPO update, {DecisionsPerEpisode} × {environments} decisions, {threads} torch thread(s): {update.Describe()} {Machine.Load()}");
                if (threads == Math.Max(1, processors / environments)) summary.Add(string.Create(CultureInfo.InvariantCulture, $"update(100x{environments})={update.Median:F1}ms"));
            }
        }

        var config = ChildWorkload.ActorConfig(counts.Max(), 1, 100);
        var settings = ActorSettings.FromConfig(config);
        var system = ActorSystem.Create("alrs-bench-learner", config);
        try
        {
            foreach (var environments in counts)
            {
                var latency = await PublishLatencyAsync(system, settings with { Environments = environments }, environments, observationSize, actionSpace, options.Repeats);
                log.WriteLine($"  policy publish to {environments} environment actor(s), until all adopted it and answered: {latency.Describe("F2")} {Machine.Load()}");
                summary.Add(string.Create(CultureInfo.InvariantCulture, $"publish({environments})={latency.Median:F2}ms"));
            }

            using var agent = new PpoAgent(PpoSettings.Reimplementation, observationSize, actionSpace, 0);
            var blob = agent.ToBlob();
            var policy = new PolicyVersion(1, blob, PolicyChecksum.Of(blob));
            var fragment = Fragment(agent, observationSize, settings.FragmentDecisions);
            var codecs = new List<Codec> { Codec.SystemDefault(system, fragment), Codec.SystemDefault(system, policy) };
            if (Codec.AlrsBinary(system) is { } binary) codecs.Add(binary);
            else log.WriteLine($"  no {Codec.AlrsBinaryTypeName} in this build: only the actor system's default serializer is measured");
            foreach (var codec in codecs.DistinctBy(c => c.Name))
            {
                var fragmentFigures = Serialisation(codec, fragment, options.Repeats, (a, b) => a.Decisions.Count == b.Decisions.Count && a.Decisions[^1].Observation.SequenceEqual(b.Decisions[^1].Observation));
                var policyFigures = Serialisation(codec, policy, options.Repeats, (a, b) => a.Blob.AsSpan().SequenceEqual(b.Blob) && a.Checksum == b.Checksum);
                log.WriteLine($"  {codec.Name}: fragment of {fragment.Decisions.Count} decisions {fragmentFigures.Bytes} bytes, serialise {fragmentFigures.Serialise.Describe()}, deserialise {fragmentFigures.Deserialise.Describe()} {Machine.Load()}");
                log.WriteLine($"  {codec.Name}: policy version (blob {blob.Length} bytes) {policyFigures.Bytes} bytes, serialise {policyFigures.Serialise.Describe()}, deserialise {policyFigures.Deserialise.Describe()} {Machine.Load()}");
                summary.Add(string.Create(CultureInfo.InvariantCulture,
                    $"[{codec.Name}] fragment={fragmentFigures.Bytes}B ser={fragmentFigures.Serialise.Median:F1}us deser={fragmentFigures.Deserialise.Median:F1}us " +
                    $"policy={policyFigures.Bytes}B ser={policyFigures.Serialise.Median:F1}us deser={policyFigures.Deserialise.Median:F1}us"));
            }
        }
        finally
        {
            await system.Terminate();
        }
        return $"learner: {string.Join(" ", summary)} (median of {options.Repeats}) {Machine.Load()}";
    }

    /// <summary>Milliseconds per PPO update on a batch of <paramref name="environments"/> full episodes.</summary>
    static Samples UpdateTime(int environments, int threads, int observationSize, ActionSpace actionSpace, int repeats)
    {
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            using var agent = new PpoAgent(PpoSettings.Reimplementation, observationSize, actionSpace, 0);
            var random = new Random(1);
            var batch = Enumerable.Range(0, environments).Select(_ => Episode(agent, observationSize, random)).ToArray();
            for (var i = 0; i < 2; i++) agent.Update(batch); // warm-up
            var samples = new Samples("ms");
            const int updatesPerSample = 3;
            for (var r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < updatesPerSample; i++) agent.Update(batch);
                samples.Add(clock.Elapsed.TotalMilliseconds / updatesPerSample);
            }
            return samples;
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    static Trajectory Episode(PpoAgent agent, int observationSize, Random random) =>
        new(Enumerable.Range(0, DecisionsPerEpisode).Select(t =>
        {
            var observation = Enumerable.Range(0, observationSize).Select(_ => (float)random.NextDouble()).ToArray();
            var decision = agent.Act(observation, false, random);
            return new Transition(observation, decision.Action, decision.LogProb, decision.Value, -(float)random.NextDouble(), t == DecisionsPerEpisode - 1);
        }).ToArray(), 0f);

    static TrajectoryFragment Fragment(PpoAgent agent, int observationSize, int decisions)
    {
        var random = new Random(2);
        var records = Enumerable.Range(0, decisions).Select(_ =>
        {
            var observation = Enumerable.Range(0, observationSize).Select(_ => (float)random.NextDouble()).ToArray();
            var decision = agent.Act(observation, false, random);
            return new DecisionRecord(observation, decision.Action, decision.LogProb, decision.Value, -(float)random.NextDouble(), false);
        }).ToArray();
        return new TrajectoryFragment("env-0", 42, 3, 7, records, 0.25f, false);
    }

    /// <summary>
    /// Publishes versions to N environment actors as the learner does (one Tell each), then
    /// asks each for its status: a status answered after the Tell shows whether the version
    /// was adopted (mailboxes are FIFO). Milliseconds from the first Tell to the last answer.
    /// </summary>
    static async Task<Samples> PublishLatencyAsync(ActorSystem system, ActorSettings settings, int environments, int observationSize, ActionSpace actionSpace, int repeats)
    {
        var sink = system.ActorOf(Props.Create(() => new FragmentSink()));
        var actors = Enumerable.Range(0, environments)
            .Select(i => system.ActorOf(EnvironmentActor.Props($"env-{i}", i, 0, settings, _ => new InstantEnvironment(observationSize, actionSpace), sink)))
            .ToArray();
        try
        {
            using var agent = new PpoAgent(PpoSettings.Reimplementation, observationSize, actionSpace, 0);
            var blob = agent.ToBlob();
            var checksum = PolicyChecksum.Of(blob);
            var samples = new Samples("ms");
            const int warmup = 5;
            for (var version = 0; version < warmup + repeats; version++)
            {
                var policy = new PolicyVersion(version, blob, checksum);
                var clock = Stopwatch.StartNew();
                foreach (var actor in actors) actor.Tell(policy);
                var statuses = await Task.WhenAll(actors.Select(a => a.Ask<EnvironmentStatus>(GetStatus.Instance, TimeSpan.FromSeconds(30))));
                var elapsed = clock.Elapsed.TotalMilliseconds;
                if (statuses.Any(s => s.PolicyVersion != version))
                    throw new InvalidOperationException($"an environment actor had not adopted version {version} when it answered: {string.Join(", ", statuses.Select(s => s.PolicyVersion))}");
                if (version >= warmup) samples.Add(elapsed);
            }
            return samples;
        }
        finally
        {
            foreach (var actor in actors) await actor.GracefulStop(TimeSpan.FromSeconds(30));
            await sink.GracefulStop(TimeSpan.FromSeconds(30));
        }
    }

    sealed record SerialisationFigures(int Bytes, Samples Serialise, Samples Deserialise);

    /// <summary>Size and microseconds per serialise / deserialise with <paramref name="codec"/>; checks the round trip.</summary>
    static SerialisationFigures Serialisation<T>(Codec codec, T message, int repeats, Func<T, T, bool> sameContent) where T : class
    {
        var bytes = codec.Write(message);
        var back = (T)codec.Read(bytes, message);
        if (!sameContent(message, back)) throw new InvalidOperationException($"{typeof(T).Name} did not survive a round trip through {codec.Name}");

        const int iterations = 200;
        for (var i = 0; i < iterations; i++) codec.Read(codec.Write(message), message); // warm-up
        var serialise = new Samples("µs");
        var deserialise = new Samples("µs");
        for (var r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) codec.Write(message);
            serialise.Add(clock.Elapsed.TotalMicroseconds / iterations);
            clock.Restart();
            for (var i = 0; i < iterations; i++) codec.Read(bytes, message);
            deserialise.Add(clock.Elapsed.TotalMicroseconds / iterations);
        }
        return new SerialisationFigures(bytes.Length, serialise, deserialise);
    }

    /// <summary>Stands in for the learner: acknowledges fragments, ignores everything else.</summary>
    sealed class FragmentSink : ReceiveActor
    {
        public FragmentSink()
        {
            Receive<TrajectoryFragment>(f => Sender.Tell(new FragmentAck(f.EnvironmentId, f.EpisodeId, f.Sequence)));
            ReceiveAny(_ => { });
        }
    }
}
