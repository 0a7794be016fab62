using System.Collections.Concurrent;

namespace Alrs.Learning.Environments;

/// <summary>
/// The validation curves of reference (base) schedules, per problem and child seed, shared by
/// every environment of the process: a relative reward needs the base's curve on the episode's
/// child, and with a child-seed pool each curve is computed once however many environments
/// train. Bounded: past <see cref="Capacity"/> curves the cache starts again from empty.
/// </summary>
public static class ReferenceCurves
{
    /// <summary>Curves kept at most (each a few hundred bytes).</summary>
    public const int Capacity = 4096;

    static readonly ConcurrentDictionary<(string Problem, int Seed), double[]> Curves = new();
    static long _computed;

    /// <summary>Curves computed since the process started (cache misses).</summary>
    public static long Computed => Interlocked.Read(ref _computed);

    /// <summary>
    /// The curve of <paramref name="problem"/> on child <paramref name="seed"/>, computed by
    /// <paramref name="compute"/> when not yet known. Two environments missing at once both
    /// compute it; the curves are equal, so either may stay.
    /// </summary>
    public static double[] GetOrCompute(string problem, int seed, Func<double[]> compute)
    {
        if (Curves.TryGetValue((problem, seed), out var known)) return known;
        var curve = compute();
        Interlocked.Increment(ref _computed);
        if (Curves.Count >= Capacity) Curves.Clear();
        Curves[(problem, seed)] = curve;
        return curve;
    }
}
