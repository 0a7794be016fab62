using System.Runtime.InteropServices;

namespace Alrs.Torch;

/// <summary>
/// Which processor the children ran on, as results record it: libtorch picks its kernels by
/// the instruction sets it finds, so the same schedule, seed and thread count ends with other
/// floating-point sums on another processor generation (MNIST-MLP residual policy, seed 0:
/// test loss 0.0836 on the machine that produced docs/results, 0.0831 on an AMD family 26 one).
/// </summary>
public static class Processor
{
    /// <summary>"AMD EPYC (family 26, model 2, stepping 1)" from /proc/cpuinfo; the architecture where that is unreadable.</summary>
    public static string Identity()
    {
        try
        {
            var fields = File.ReadLines("/proc/cpuinfo")
                .TakeWhile(line => line.Length > 0) // the first processor's block
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2)
                .GroupBy(parts => parts[0].Trim())
                .ToDictionary(g => g.Key, g => g.First()[1].Trim());
            if (fields.TryGetValue("model name", out var name))
                return fields.TryGetValue("cpu family", out var family) && fields.TryGetValue("model", out var model) && fields.TryGetValue("stepping", out var stepping)
                    ? $"{name} (family {family}, model {model}, stepping {stepping})"
                    : name;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
