using System.Runtime.CompilerServices;
using Alrs.Torch;

namespace Alrs.Tests.Shared;

/// <summary>
/// Makes libtorch loadable (the ELF patch on Debian 12) when a test assembly loads, before any
/// test runs: tests that call torch directly (synthetic data, tensors) must not depend on
/// another test having loaded it first, whatever order xUnit picks.
/// </summary>
static class TorchFirst
{
#pragma warning disable CA2255 // a test assembly, not a library: this is what module initialisers are for
    [ModuleInitializer]
    internal static void Load() => TorchRuntime.EnsureLoadable();
#pragma warning restore CA2255
}
