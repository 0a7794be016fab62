using Alrs.Learning;
using Alrs.Learning.Data;
using Alrs.Learning.Environments;
using Alrs.Learning.Evaluation;
using Alrs.Learning.Networks;
using Alrs.Learning.Ppo;
using Alrs.Tests.Shared;
using static TorchSharp.torch;

namespace Alrs.Schedules.Tests;

public sealed class LearnedScheduleTests
{
    /// <summary>Short MNIST episodes; the validation batch fits one forward pass, as a user's would.</summary>
    static readonly EnvironmentSettings Short = new()
    {
        Steps = 60, BatchSize = 128, DecisionInterval = 10, ValidationSamples = 500, EvaluationBatchSize = 5000,
        InitialLearningRate = 1e-3, Evaluation = true,
    };

    static string Policy(string name) => Path.Combine(TestData.RepositoryRoot, "docs", "results", "policies", name);

    [Theory]
    [InlineData("fmnist/fixes-wide-s1-v40.alrspol", "mlp", 3)]
    [InlineData("ablation/today-s1.alrspol", "mlp", 4)]
    [InlineData("fmnist/fixes-wide-s1-v40.alrspol", "lenet5", 5)]
    public void In_a_plain_training_loop_it_sets_exactly_the_rates_alrs_evaluate_reports(string policy, string arch, int seed)
    {
        using var data = DatasetLoader.Load(DatasetInfo.Mnist, TestDatasets.DataDirWith(DatasetId.Mnist), 10_000);
        using var agent = Schedule.Load(Policy(policy));
        var settings = agent.Spec?.ApplyTo(Short) ?? Short;
        using var environment = new LearningRateEnvironment(data, arch, settings);
        var evaluated = PolicyEvaluator.Run(agent, environment, seed).Trace.Select(t => t.LearningRate).ToList();

        var rates = TrainOwnLoop(data, arch, seed, Short.Steps,
            (optimizer, network) => Schedule.Learned(optimizer, Schedule.Load(Policy(policy)), Inputs(data, network), Short));

        Assert.Equal(evaluated, rates.Take(evaluated.Count));
        Assert.True(evaluated.Distinct().Count() > 1, "the policy never changed the rate: the test would prove little");
    }

    [Fact]
    public void A_policy_file_that_is_not_a_policy_is_named_in_one_line()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "not-a-policy.alrspol");
        File.WriteAllText(file, "hello");

        var e = Assert.Throws<InputException>(() => Schedule.Load(file));
        Assert.StartsWith($"policy {file}: not an alrs policy", e.Message);
        Assert.StartsWith($"policy {file}.missing: cannot read it", Assert.Throws<InputException>(() => Schedule.Load(file + ".missing")).Message);
    }

    [Fact]
    public void A_learned_schedule_asks_for_the_loss_when_stepped_without_it()
    {
        using var data = SyntheticSplits();
        using var network = ChildNetworks.Create("mlp", 1, 28, 28, CPU, seed: 1);
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        var inputs = new ControllerInputs(() => network.forward(data.Validation.Images), data.Validation.Labels, network.OutputLayer.weight!);
        using var schedule = Schedule.Learned(optimizer, Policy("fmnist/fixes-wide-s1-v40.alrspol"), inputs, steps: 100);

        var e = Assert.Throws<InvalidOperationException>(() => schedule.step());
        Assert.Contains("call step(loss)", e.Message);
        Assert.Single(schedule.Decisions);
        Assert.Equal(schedule.LearningRate, optimizer.ParamGroups.Single().LearningRate);
    }

    /// <summary>What the controller observes of a child built like the environment's: the environment's validation subset, in eval mode.</summary>
    static ControllerInputs Inputs(DatasetSplits data, ChildNetwork network)
    {
        var images = data.Validation.Images.narrow(0, 0, Short.ValidationSamples);
        var labels = data.Validation.Labels.narrow(0, 0, Short.ValidationSamples);
        return new ControllerInputs(() =>
        {
            network.eval();
            var logits = network.forward(images);
            network.train();
            return logits;
        }, labels, network.OutputLayer.weight!);
    }

    /// <summary>
    /// A training loop of its own, written as a user would, training the environment's child
    /// (the same seeded initialisation and batch order, Adam from the initial rate) while the
    /// schedule sets the rate. Returns the rates the schedule decided.
    /// </summary>
    static IReadOnlyList<double> TrainOwnLoop(DatasetSplits data, string arch, int seed, int steps,
        Func<optim.Optimizer, ChildNetwork, LearnedSchedule> makeSchedule)
    {
        using var network = ChildNetworks.Create(arch, data.Channels, data.Height, data.Width, CPU, seed);
        network.train();
        using var order = new Generator(unchecked((ulong)seed));
        using var optimizer = optim.Adam(network.parameters(), Short.InitialLearningRate);
        using var schedule = makeSchedule(optimizer, network);
        var count = data.Train.Images.shape[0];
        using var rows = data.Train.Images.view(count, -1);
        Tensor? permutation = null;
        long offset = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            if (permutation is null || offset + Short.BatchSize > count)
            {
                permutation?.Dispose();
                permutation = randperm(count, generator: order).DetachFromDisposeScope();
                offset = 0;
            }
            var batch = permutation.narrow(0, offset, Short.BatchSize);
            offset += Short.BatchSize;
            var images = rows.index_select(0, batch).view(Short.BatchSize, data.Channels, data.Height, data.Width);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(network.forward(images), data.Train.Labels.index_select(0, batch));
            loss.backward();
            optimizer.step();
            schedule.step(loss);
        }
        permutation?.Dispose();
        return [.. schedule.Decisions];
    }

    static DatasetSplits SyntheticSplits()
    {
        var generator = new TorchSharp.torch.Generator(7);
        ImageSet Set(int n) => new(rand([n, 1, 28, 28], generator: generator), randint(0, 10, [n], generator: generator));
        return new DatasetSplits("synthetic", Set(256), Set(128), Set(128));
    }
}
