using System.Globalization;

namespace Alrs.Bench;

/// <summary>
/// Processor time per OS thread of this process (Linux /proc/self/task), to see where a
/// window's CPU went: environment threads, the learner, Akka's own threads, libtorch workers.
/// </summary>
public static class ThreadUsage
{
    /// <summary>Thread id → (name, processor seconds so far); empty where /proc is unavailable.</summary>
    public static Dictionary<int, (string Name, double Seconds)> Snapshot()
    {
        var result = new Dictionary<int, (string, double)>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var open = stat.IndexOf('(');
                    var close = stat.LastIndexOf(')');
                    var name = stat[(open + 1)..close];
                    var fields = stat[(close + 2)..].Split(' ');
                    // Fields after the name start at "state" (field 3): utime and stime are fields 14 and 15.
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    result[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (name, ticks / 100.0);
                }
                catch (IOException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return result;
    }

    /// <summary>"env-0 9.8 s, env-1 9.7 s, .NET TP Worker 0.6 s, …": the busiest threads between two snapshots.</summary>
    public static string Busiest(Dictionary<int, (string Name, double Seconds)> before, Dictionary<int, (string Name, double Seconds)> after, int count = 6)
    {
        var deltas = after
            .Select(t => (t.Value.Name, Seconds: t.Value.Seconds - (before.TryGetValue(t.Key, out var b) ? b.Seconds : 0)))
            .Where(t => t.Seconds > 0)
            .OrderByDescending(t => t.Seconds)
            .ToList();
        var shown = deltas.Take(count).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Seconds:F2}s"));
        var rest = deltas.Skip(count).Sum(t => t.Seconds);
        return string.Join(", ", shown) + string.Create(CultureInfo.InvariantCulture, $"; others {rest:F2}s");
    }

    /// <summary>
    /// Processor seconds between two snapshots per thread name (Linux shows the first 15
    /// characters): "alrs-environmen", ".NET Timer", ".NET TP Worker", … summed over the threads
    /// that share it.
    /// </summary>
    public static Dictionary<string, double> ByName(Dictionary<int, (string Name, double Seconds)> before, Dictionary<int, (string Name, double Seconds)> after) =>
        after
            .Select(t => (t.Value.Name, Seconds: t.Value.Seconds - (before.TryGetValue(t.Key, out var b) ? b.Seconds : 0)))
            .Where(t => t.Seconds > 0)
            .GroupBy(t => t.Name)
            .ToDictionary(g => g.Key, g => g.Sum(t => t.Seconds));
}
