using Alrs.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Alrs.Torch.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void Native_library_loads_and_a_small_network_learns_xor()
    {
        TorchRuntime.EnsureLoadable();
        torch.manual_seed(1);
        var x = tensor(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }).reshape(4, 2);
        var y = tensor(new float[] { 0, 1, 1, 0 }).reshape(4, 1);
        var net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1));
        var optimizer = optim.Adam(net.parameters(), 0.05);
        float loss = 0;
        for (var step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var l = nn.functional.mse_loss(net.forward(x), y);
            l.backward();
            optimizer.step();
            loss = l.item<float>();
        }
        Assert.True(loss < 0.01f, $"XOR loss after training was {loss}");
    }

    [Fact]
    public void Patch_makes_the_pinning_symbol_unversioned_and_is_idempotent()
    {
        var library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var nuget = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages",
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var pristine = File.ReadAllBytes(File.Exists(nuget) ? nuget : library);
        var image = (byte[])pristine.Clone();

        var first = ElfVersionPatch.Apply(image);
        var second = ElfVersionPatch.Apply(image);

        Assert.Equal(File.Exists(nuget) ? ElfVersionPatch.Outcome.Patched : first, first);
        Assert.Equal(ElfVersionPatch.Outcome.AlreadyPatched, second);
        Assert.Equal(pristine.Length, image.Length);
        // Exactly the flag half-word and one versym entry change: at most 4 bytes.
        var changedBytes = pristine.Zip(image).Count(p => p.First != p.Second);
        Assert.InRange(changedBytes, 1, 4);
    }

    [Fact]
    public void Patch_rejects_a_file_that_is_not_elf()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionPatch.Apply(new byte[128]));
        Assert.Contains("not an ELF file", error.Message);
    }

    [Theory]
    [InlineData("cuda:x")]
    [InlineData("tpu")]
    public void Unknown_device_names_are_rejected_with_their_name(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => TorchRuntime.ResolveDevice(name));
        Assert.Contains(name, error.Message);
    }

    [SkippableFact]
    public void Auto_device_falls_back_to_cpu_without_gpus()
    {
        Skip.If(torch.cuda.is_available(), "a GPU is present: auto resolves to it");
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice("auto").type);
    }
}
