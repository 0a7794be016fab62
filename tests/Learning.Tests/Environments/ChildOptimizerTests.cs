using Alrs.Learning.Environments;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Environments;

/// <summary>
/// The child's optimizers (ChildAdam, ChildSgd) against torch.optim's: they exist only to hold
/// their scalars through native calls, so every number must stay what torch.optim gives, or
/// no result trained or evaluated before them would reproduce.
/// </summary>
public class ChildOptimizerTests
{
    static (nn.Module<Tensor, Tensor> Network, optim.Optimizer Optimizer) Model(ChildOptimizer kind, bool child)
    {
        random.manual_seed(7);
        var network = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3));
        const double rate = 0.01, momentum = 0.9;
        optim.Optimizer optimizer = (kind, child) switch
        {
            (ChildOptimizer.Adam, true) => new ChildAdam(network.parameters(), rate),
            (ChildOptimizer.Adam, false) => optim.Adam(network.parameters(), rate),
            (ChildOptimizer.Sgd, true) => new ChildSgd(network.parameters(), rate),
            (ChildOptimizer.Sgd, false) => optim.SGD(network.parameters(), rate),
            (ChildOptimizer.Momentum, true) => new ChildSgd(network.parameters(), rate, momentum),
            _ => optim.SGD(network.parameters(), rate, momentum),
        };
        return (network, optimizer);
    }

    /// <summary>Trains 30 steps on seeded data, changing the rate before each step as the controller does.</summary>
    static (float[][] Weights, byte[] State) Train(ChildOptimizer kind, bool child)
    {
        var (network, optimizer) = Model(kind, child);
        using (network)
        using (optimizer)
        {
            var data = new Generator(11);
            for (var step = 0; step < 30; step++)
            {
                using var scope = NewDisposeScope();
                var inputs = randn([32, 6], generator: data);
                var targets = randn([32, 3], generator: data);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = 0.02 * Math.Pow(0.85, step);
                optimizer.zero_grad();
                nn.functional.mse_loss(network.forward(inputs), targets).backward();
                optimizer.step();
            }
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                ((OptimizerHelper)optimizer).save_state_dict(writer);
            return ([.. network.parameters().Select(p => p.detach().data<float>().ToArray())], stream.ToArray());
        }
    }

    static byte[] AfterTypeName(byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        reader.ReadString();
        return reader.ReadBytes(state.Length);
    }

    [Theory]
    [InlineData(ChildOptimizer.Adam)]
    [InlineData(ChildOptimizer.Sgd)]
    [InlineData(ChildOptimizer.Momentum)]
    public void Steps_reproduce_torch_optim_bit_for_bit(ChildOptimizer kind)
    {
        var (expectedWeights, expectedState) = Train(kind, child: false);
        var (weights, state) = Train(kind, child: true);

        Assert.Equal(expectedWeights.Length, weights.Length);
        for (var i = 0; i < weights.Length; i++) Assert.Equal(expectedWeights[i], weights[i]);
        // Moments, step counts and options serialise identically after the type name that
        // TorchSharp writes first (and checks on loading: a ChildSnapshot restores into the
        // same optimizer type, which it always does).
        Assert.Equal(AfterTypeName(expectedState), AfterTypeName(state));
        // The rates changed the weights at all (a no-op step would also "match").
        var (untrained, _) = Model(kind, child: true);
        using (untrained) Assert.NotEqual(untrained.parameters().First().detach().data<float>().ToArray(), weights[0]);
    }

    [Fact]
    public void Options_the_child_step_does_not_implement_are_refused_not_ignored()
    {
        var (network, optimizer) = Model(ChildOptimizer.Adam, child: true);
        using (network)
        using (optimizer)
        {
            ((Adam.ParamGroup)optimizer.ParamGroups.First()).Options.amsgrad = true;
            nn.functional.mse_loss(network.forward(ones(2, 6)), zeros(2, 3)).backward();
            Assert.Throws<NotSupportedException>(() => optimizer.step());
        }
    }
}
