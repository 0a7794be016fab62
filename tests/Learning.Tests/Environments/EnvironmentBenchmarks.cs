using System.Diagnostics;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Networks;
using Alrs.Torch;
using Xunit.Abstractions;
using Alrs.Tests.Shared;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Environments;

/// <summary>
/// Timings, not tests: tests/default.runsettings leaves Category=Benchmark out of every default run. Run them in Release on a quiet machine:
/// <c>dotnet test tests/Learning.Tests -c Release --settings tests/benchmarks.runsettings --logger "console;verbosity=detailed"</c>.
/// Torch uses 2 threads.
/// </summary>
[Trait("Category", "Benchmark")]
public class EnvironmentBenchmarks(ITestOutputHelper output)
{
    [Theory]
    [InlineData("mlp", 20)]
    [InlineData("lenet5", 4)]
    public void Adam_step_time_at_batch_1000(string arch, int stepsPerRun)
    {
        TorchRuntime.EnsureLoadable();
        set_num_threads(2);
        manual_seed(0);
        using var network = ChildNetworks.Create(arch, 1, 28, 28, CPU);
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        using var images = randn(1000, 1, 28, 28);
        using var labels = randint(10, [1000], dtype: ScalarType.Int64);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(network.forward(images), labels).backward();
            optimizer.step();
        }
        for (var i = 0; i < 3; i++) Step(); // warm-up
        var perStep = new List<double>();
        for (var run = 0; run < 7; run++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < stepsPerRun; i++) Step();
            perStep.Add(clock.Elapsed.TotalMilliseconds / stepsPerRun);
        }
        perStep.Sort();
        output.WriteLine($"{arch} batch 1000 Adam step: median {perStep[perStep.Count / 2]:F1} ms over {perStep.Count} runs of {stepsPerRun} steps " +
                         $"(min {perStep[0]:F1}, max {perStep[^1]:F1}); torch threads {get_num_threads()}");
    }

    [Fact]
    public void Full_mnist_mlp_episode_time_and_overhead()
    {
        TorchRuntime.EnsureLoadable();
        set_num_threads(2);
        using var data = DatasetLoader.Load(DatasetId.Mnist, TestDatasets.DataDirWith(DatasetId.Mnist));
        using var environment = new LearningRateEnvironment(data, "mlp", new EnvironmentSettings());
        var clock = Stopwatch.StartNew();
        environment.Reset(0);
        var decisions = 0;
        for (var done = false; !done; decisions++) done = environment.Step([DiscreteActions.Keep]).Done;
        var wall = clock.Elapsed;
        var t = environment.Timings;
        output.WriteLine($"MNIST MLP episode, 1000 steps, batch 1000, {decisions} decisions on 10000 validation images: wall {wall.TotalSeconds:F2} s");
        output.WriteLine($"  {t}");
        output.WriteLine($"  unaccounted (outside the environment's timers): {(wall - t.Total).TotalMilliseconds:F0} ms");
    }
}
