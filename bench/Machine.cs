using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Alrs.Bench;

/// <summary>What the figures were measured on, and how busy the machine was while they were.</summary>
public static class Machine
{
    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg (NaN where unavailable).</summary>
    public static (double One, double Five, double Fifteen) LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            double P(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
            return (P(0), P(1), P(2));
        }
        catch (IOException) { return (double.NaN, double.NaN, double.NaN); }
        catch (UnauthorizedAccessException) { return (double.NaN, double.NaN, double.NaN); }
    }

    /// <summary>"load 1.23/1.50/1.80".</summary>
    public static string Load()
    {
        var (one, five, fifteen) = LoadAverage();
        return string.Create(CultureInfo.InvariantCulture, $"load {one:F2}/{five:F2}/{fifteen:F2}");
    }

    /// <summary>One line: processors, CPU model, memory, .NET, TorchSharp and libtorch.</summary>
    public static string Describe() =>
        $"machine: {Environment.ProcessorCount} processors, {CpuModel()}, {MemoryGiB()}, {RuntimeInformation.OSDescription}, " +
        $".NET {Environment.Version}, TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}";

    static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { return "unknown CPU"; }
    }

    static string MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0 / 1024.0:F1} GiB memory");
        }
        catch (IOException) { return "unknown memory"; }
    }
}
