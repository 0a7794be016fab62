using Alrs.Learning.Data;
using Alrs.Learning.Networks;
using Alrs.Torch;
using static TorchSharp.torch;
using Alrs.Tests.Shared;

namespace Alrs.Learning.Tests.Networks;

/// <summary>Child networks on real data: MNIST from the data directory, the shared CIFAR-10 subset.</summary>
public class ChildNetworksTrainingTests
{
    public ChildNetworksTrainingTests() => TorchRuntime.EnsureLoadable();

    [Fact]
    public void Mlp_reaches_90_percent_mnist_test_accuracy_within_300_adam_steps()
    {
        using var data = DatasetLoader.Load(DatasetId.Mnist, TestDatasets.DataDirWith(DatasetId.Mnist));
        manual_seed(0);
        using var network = ChildNetworks.Create("mlp", 1, 28, 28, CPU);
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        using var generator = new Generator(0);
        using var order = randperm(data.Train.Count, generator: generator);
        const int batch = 128;
        for (var step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            var indices = order.narrow(0, step * batch, batch);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(network.forward(data.Train.Images.index_select(0, indices)), data.Train.Labels.index_select(0, indices));
            loss.backward();
            optimizer.step();
        }

        var test = Alrs.Learning.Environments.ChildEvaluation.Of(network, data.Test.Images, data.Test.Labels, batchSize: 5000);
        Assert.True(test.Accuracy >= 0.90, $"MLP test accuracy after 300 steps: {test.Accuracy:P2} (loss {test.Loss:F3})");
    }

    [Fact]
    public void ResNet18_runs_forward_and_backward_on_a_real_cifar_batch()
    {
        using var data = DatasetLoader.Load(DatasetId.Cifar10, TestData.Cifar10Subset, validationSize: 1000);
        manual_seed(0);
        using var network = ChildNetworks.Create("resnet18", data.Channels, data.Height, data.Width, CPU);
        using var scope = NewDisposeScope();
        var images = data.Train.Images.narrow(0, 0, 16);
        var labels = data.Train.Labels.narrow(0, 0, 16);

        var logits = network.forward(images);
        var loss = nn.functional.cross_entropy(logits, labels);
        loss.backward();

        Assert.Equal(new long[] { 16, 10 }, logits.shape);
        Assert.True(float.IsFinite(loss.item<float>()));
        // Roughly ln 10 at initialisation.
        Assert.InRange(loss.item<float>(), 1.5f, 4f);
        var outputGradient = network.OutputLayer.weight!.grad!;
        Assert.True(outputGradient.abs().sum().item<float>() > 0, "output layer received no gradient");
        Assert.True(network.parameters().All(p => p.grad is not null), "some parameter received no gradient");
    }
}
