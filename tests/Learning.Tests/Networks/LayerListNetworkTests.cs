using Alrs.Learning.Networks;
using Alrs.Torch;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Networks;

public class LayerListNetworkTests
{
    public LayerListNetworkTests() => TorchRuntime.EnsureLoadable();

    static ChildArchitecture Described(params string[] layers) =>
        new("described", [.. layers.Select((l, i) => NetworkLayer.Parse(l, $"alrs.networks.described[{i}]"))]);

    static long Parameters(ChildNetwork network) => network.parameters().Sum(p => p.numel());

    [Fact]
    public void An_mlp_of_given_widths_has_their_parameters_and_one_output_per_class()
    {
        using var network = ChildNetworks.Create(Described("linear 64", "linear 32"), 4, 1, 1, 3, CPU, seed: 1);
        // (4·64 + 64) + (64·32 + 32) + (32·3 + 3)
        Assert.Equal(320 + 2080 + 99, Parameters(network));
        using var logits = network.forward(zeros(7, 4, 1, 1));
        Assert.Equal(new long[] { 7, 3 }, logits.shape);
        Assert.Equal(new long[] { 32, 64 }, network.ObservedWeights.First.shape);
    }

    [Fact]
    public void A_small_cnn_follows_the_map_through_convolutions_and_pools()
    {
        using var network = ChildNetworks.Create(Described("conv 8 3", "maxpool 2", "conv 16 5", "avgpool 2", "linear 20"), 3, 16, 16, 5, CPU, seed: 1);
        // 16x16 -> conv (same) 16x16x8 -> 8x8 -> conv 5 (padding 2) 8x8x16 -> 4x4 -> 256 -> 20 -> 5
        Assert.Equal((3 * 9 * 8 + 8) + (8 * 25 * 16 + 16) + (256 * 20 + 20) + (20 * 5 + 5), Parameters(network));
        using var logits = network.forward(zeros(2, 3, 16, 16));
        Assert.Equal(new long[] { 2, 5 }, logits.shape);
    }

    [Fact]
    public void An_empty_list_is_a_linear_classifier()
    {
        using var network = ChildNetworks.Create(Described(), 2, 3, 3, 4, CPU, seed: 1);
        Assert.Equal(18 * 4 + 4, Parameters(network));
        Assert.Equal(new long[] { 4 }, network.ObservedWeights.First.shape);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        var architecture = Described("conv 4 3", "linear 8");
        using var a = ChildNetworks.Create(architecture, 1, 6, 6, 2, CPU, seed: 3);
        using var b = ChildNetworks.Create(architecture, 1, 6, 6, 2, CPU, seed: 3);
        Assert.Equal(a.OutputLayer.weight!.data<float>().ToArray(), b.OutputLayer.weight!.data<float>().ToArray());
    }

    [Theory]
    [InlineData(new[] { "linear 8", "conv 4 3" }, "network 'described' layer 1 'conv 4 3': a convolution cannot follow a linear layer (linear layers flatten the map)")]
    [InlineData(new[] { "maxpool 2", "maxpool 2", "maxpool 2" }, "network 'described' layer 2 'maxpool 2': the window is larger than the 1x1 map it gets")]
    public void A_list_the_input_cannot_pass_through_names_the_layer(string[] layers, string expected)
    {
        var error = Assert.Throws<InputException>(() => ChildNetworks.Create(Described(layers), 1, 4, 4, 2, CPU));
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("dense 8", "alrs.networks.x[0] 'dense 8': unknown layer (write conv OUT K, maxpool K, avgpool K or linear N)")]
    [InlineData("conv 8", "alrs.networks.x[0] 'conv 8': the kernel size must be a positive integer (write conv OUT K, maxpool K, avgpool K or linear N)")]
    [InlineData("linear 0", "alrs.networks.x[0] 'linear 0': the width must be a positive integer (write conv OUT K, maxpool K, avgpool K or linear N)")]
    [InlineData("maxpool 2 2", "alrs.networks.x[0] 'maxpool 2 2': unexpected '2' (write conv OUT K, maxpool K, avgpool K or linear N)")]
    public void A_bad_layer_names_its_entry(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => NetworkLayer.Parse(text, "alrs.networks.x[0]"));
        Assert.Equal(expected, error.Message);
    }
}
