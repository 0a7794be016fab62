using Alrs.Learning.Networks;
using Alrs.Torch;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Networks;

public class ChildNetworksTests
{
    public ChildNetworksTests() => TorchRuntime.EnsureLoadable();

    static long Parameters(ChildNetwork network) => network.parameters().Sum(p => p.numel());

    [Fact]
    public void Mlp_on_mnist_has_the_784_256_128_10_parameter_count()
    {
        using var network = ChildNetworks.Create("mlp", 1, 28, 28, CPU);
        // (784·256 + 256) + (256·128 + 128) + (128·10 + 10) = 200960 + 32896 + 1290
        Assert.Equal(235_146, Parameters(network));
    }

    [Fact]
    public void Mlp_on_cifar_takes_all_3072_inputs()
    {
        using var network = ChildNetworks.Create("mlp", 3, 32, 32, CPU);
        // (3072·256 + 256) + 32896 + 1290
        Assert.Equal(786_688 + 32_896 + 1_290, Parameters(network));
        using var logits = network.forward(zeros(5, 3, 32, 32));
        Assert.Equal(new long[] { 5, 10 }, logits.shape);
    }

    [Fact]
    public void LeNet5_has_the_classic_parameter_count_for_grey_and_colour_images()
    {
        using var grey = ChildNetworks.Create("lenet5", 1, 28, 28, CPU);
        using var colour = ChildNetworks.Create("lenet5", 3, 32, 32, CPU);
        // conv1 6·(C·25) + 6; conv2 16·(6·25) + 16 = 2416; dense 400·120 + 120 = 48120;
        // 120·84 + 84 = 10164; 84·10 + 10 = 850. Grey: 156 + 2416 + 48120 + 10164 + 850.
        Assert.Equal(61_706, Parameters(grey));
        // Colour: conv1 6·75 + 6 = 456 instead of 156.
        Assert.Equal(62_006, Parameters(colour));
        using var greyLogits = grey.forward(zeros(2, 1, 28, 28));
        using var colourLogits = colour.forward(zeros(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 10 }, greyLogits.shape);
        Assert.Equal(new long[] { 2, 10 }, colourLogits.shape);
    }

    [Fact]
    public void ResNet18_cifar_form_has_11_173_962_parameters()
    {
        using var network = ChildNetworks.Create("resnet18", 3, 32, 32, CPU);
        // Batch norm contributes 2·channels (scale and shift); convolutions have no bias.
        const long stem = 3 * 64 * 9 + 2 * 64;                                        // 1856
        const long stage1 = 2 * (2 * (64 * 64 * 9) + 2 * 2 * 64);                    // 147968
        static long Stage(long i, long o) =>
            (i * o * 9 + o * o * 9 + i * o + 3 * 2 * o)                               // first block with 1×1 projection
            + (2 * o * o * 9 + 2 * 2 * o);                                           // second block
        var stages = stage1 + Stage(64, 128) + Stage(128, 256) + Stage(256, 512);   // 147968 + 525568 + 2099712 + 8393728
        const long dense = 512 * 10 + 10;                                            // 5130
        Assert.Equal(11_173_962, stem + stages + dense);
        Assert.Equal(stem + stages + dense, Parameters(network));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("lenet5")]
    [InlineData("resnet18")]
    public void Output_layer_is_the_final_dense_layer_with_10_outputs(string arch)
    {
        using var network = ChildNetworks.Create(arch, 1, 28, 28, CPU);
        Assert.Equal(10, network.OutputLayer.weight!.shape[0]);
        Assert.Contains(network.named_parameters(), p => ReferenceEquals(p.parameter, network.OutputLayer.weight));
        var (first, second) = network.ObservedWeights;
        Assert.True(first.numel() > 0 && second.numel() > 0);
    }

    [Fact]
    public void Unknown_architecture_is_rejected_naming_the_known_ones()
    {
        var error = Assert.Throws<InputException>(() => ChildNetworks.Create("vgg", 1, 28, 28, CPU));
        Assert.Contains("'vgg'", error.Message);
        Assert.Contains("lenet5", error.Message);
    }

    [Fact]
    public void LeNet5_rejects_images_it_cannot_shape()
    {
        var error = Assert.Throws<InputException>(() => ChildNetworks.Create("lenet5", 1, 64, 64, CPU));
        Assert.Contains("64x64", error.Message);
    }

    [Fact]
    public void Same_seed_gives_identical_initial_weights()
    {
        manual_seed(7);
        using var a = ChildNetworks.Create("lenet5", 1, 28, 28, CPU);
        manual_seed(7);
        using var b = ChildNetworks.Create("lenet5", 1, 28, 28, CPU);
        Assert.True(a.OutputLayer.weight!.equal(b.OutputLayer.weight!).all().item<bool>());
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("lenet5")]
    [InlineData("resnet18")]
    public void Seeded_initialisation_ignores_the_global_generator(string arch)
    {
        manual_seed(1);
        using var a = ChildNetworks.Create(arch, 1, 28, 28, CPU, seed: 3);
        manual_seed(2);
        using var b = ChildNetworks.Create(arch, 1, 28, 28, CPU, seed: 3);
        using var c = ChildNetworks.Create(arch, 1, 28, 28, CPU, seed: 4);
        var pairs = a.parameters().Zip(b.parameters()).ToList();
        Assert.All(pairs, p => Assert.True(p.First.equal(p.Second).all().item<bool>()));
        Assert.False(a.OutputLayer.weight!.equal(c.OutputLayer.weight!).all().item<bool>());
    }

    [Fact]
    public void Seeded_initialisation_follows_torch_defaults()
    {
        using var network = ChildNetworks.Create("mlp", 1, 28, 28, CPU, seed: 0);
        // Dense weights ~ U(−1/√fan_in, 1/√fan_in): the output layer's fan-in is 128.
        var weight = network.OutputLayer.weight!;
        var bound = 1 / Math.Sqrt(128);
        Assert.InRange(weight.abs().max().item<float>(), 0.9 * bound, bound);
        // Variance of U(−b, b) is b²/3.
        Assert.InRange(weight.var().item<float>(), 0.8 * bound * bound / 3, 1.2 * bound * bound / 3);
    }
}
