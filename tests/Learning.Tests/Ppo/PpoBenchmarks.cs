using System.Diagnostics;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Xunit.Abstractions;

namespace Alrs.Learning.Tests.Ppo;

/// <summary>
/// Timings, not tests: tests/default.runsettings leaves Category=Benchmark out of every default run. Run them in Release on a quiet machine:
/// <c>dotnet test tests/Learning.Tests -c Release --settings tests/benchmarks.runsettings --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public class PpoBenchmarks(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void Act_and_update_times_at_the_reference_batch(bool continuous, int torchThreads)
    {
        Alrs.Torch.TorchRuntime.EnsureLoadable();
        var previousThreads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(torchThreads);
        try
        {
            Measure(continuous, torchThreads);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(previousThreads);
        }
    }

    void Measure(bool continuous, int torchThreads)
    {
        // The reimplementation's shapes: 7 observations, 4 environments × 100 decisions per update.
        var actions = continuous ? ActionSpace.Continuous(1 / 1.05f, 1.05f) : ActionSpace.Discrete(3);
        using var agent = new PpoAgent(PpoSettings.Reimplementation, 7, actions, seed: 1);
        var random = new Random(1);
        float[] Observation() => Enumerable.Range(0, 7).Select(_ => (float)random.NextDouble()).ToArray();

        for (var i = 0; i < 200; i++) agent.Act(Observation(), false, random); // warm-up
        var clock = Stopwatch.StartNew();
        const int acts = 5000;
        for (var i = 0; i < acts; i++) agent.Act(Observation(), false, random);
        var actMicroseconds = clock.Elapsed.TotalMicroseconds / acts;

        Trajectory Episode() => new(Enumerable.Range(0, 100).Select(t =>
        {
            var o = Observation();
            var d = agent.Act(o, false, random);
            return new Transition(o, d.Action, d.LogProb, d.Value, -(float)random.NextDouble(), t == 99);
        }).ToArray(), 0);
        var batch = Enumerable.Range(0, 4).Select(_ => Episode()).ToArray();
        agent.Update(batch); // warm-up
        clock.Restart();
        const int updates = 10;
        for (var i = 0; i < updates; i++) agent.Update(batch);
        var updateMilliseconds = clock.Elapsed.TotalMilliseconds / updates;

        output.WriteLine($"{(continuous ? "continuous" : "discrete")}, {torchThreads} torch thread(s): Act {actMicroseconds:F1} µs, Update (400 decisions, 16 minibatch steps) " +
                         $"{updateMilliseconds:F1} ms, blob {agent.ToBlob().Length} bytes");
    }
}
