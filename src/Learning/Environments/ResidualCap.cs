using System.Globalization;

namespace Alrs.Learning.Environments;

/// <summary>
/// An upper bound on the residual's multiplier from a share of the episode on: with
/// <c>From</c> = 0.7 and <c>Max</c> = 1 the controller may follow or undercut the base's final
/// decay but not run above it, where a short-horizon reward gives its decisions the least signal
/// (measured on Fashion-MNIST: the selected controllers ended ×1.1–1.25 above the knee there).
/// </summary>
/// <param name="From">Share of the episode's steps from which the bound holds; 1 = never.</param>
/// <param name="Max">The largest multiplier allowed from then on.</param>
public sealed record ResidualCap(double From, double Max)
{
    public static readonly ResidualCap None = new(1.0, double.PositiveInfinity);

    public bool IsNone => From >= 1.0;

    public double Bound(double multiplier, double progress) =>
        !IsNone && progress >= From - 1e-12 ? Math.Min(multiplier, Max) : multiplier;

    /// <summary>The form the configuration and the policy blob spell it in: "from:max", e.g. "0.7:1".</summary>
    public override string ToString() => IsNone ? "off" : FormattableString.Invariant($"{From:G}:{Max:G}");

    /// <summary>Parses <see cref="ToString"/>'s form ("off", or "from:max").</summary>
    public static ResidualCap Parse(string text)
    {
        var t = text.Trim();
        if (t is "" or "off") return None;
        var parts = t.Split(':');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var from)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            && from is > 0 and < 1 && double.IsFinite(max) && max > 0)
            return new ResidualCap(from, max);
        throw new InputException($"residual-cap must be off or FROM:MAX with 0 < FROM < 1 and MAX > 0 (e.g. 0.7:1), got '{text}'");
    }
}
