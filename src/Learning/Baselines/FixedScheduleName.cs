using System.Globalization;

namespace Alrs.Learning.Baselines;

/// <summary>
/// Reads a hand-designed schedule back from the name the baselines print and select by
/// (<c>knee(lr=0.01,explore=0.3,warmup=0.05,min=1E-05)</c>, <c>cosine(lr=0.01,min=1E-05)</c>,
/// <c>step-decay(lr=0.01,every=50,factor=0.7)</c>, <c>constant(lr=0.001)</c>), so a selection
/// summary's winner can be named in configuration, e.g. as a residual action's base.
/// </summary>
public static class FixedScheduleName
{
    /// <summary>Families that are pure functions of the step and can be parsed.</summary>
    public static readonly IReadOnlyList<string> Families = ["constant", "step-decay", "cosine", "knee"];

    /// <summary>The schedule <paramref name="name"/> over an episode of <paramref name="totalSteps"/> child steps.</summary>
    /// <exception cref="InputException">The name is not one of the families above with all its parameters.</exception>
    public static IFixedSchedule Parse(string name, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim();
        var open = text.IndexOf('(');
        if (open <= 0 || !text.EndsWith(')'))
            throw Bad(name, "expected family(key=value,...)");
        var family = text[..open];
        var parameters = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text[(open + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw Bad(name, $"'{part}' is not key=number");
            parameters[pair[0]] = value;
        }

        double Get(string key) => parameters.TryGetValue(key, out var v) ? v : throw Bad(name, $"missing {key}=");
        double Rate(string key) => Get(key) > 0 ? Get(key) : throw Bad(name, $"{key} must be positive");
        try
        {
            IFixedSchedule schedule = family switch
            {
                "constant" => new ConstantSchedule(Rate("lr")),
                "step-decay" => new StepDecaySchedule(Rate("lr"), checked((int)Get("every")), Get("factor")),
                "cosine" => new CosineAnnealingSchedule(Rate("lr"), totalSteps, Rate("min")),
                "knee" => new KneeSchedule(Rate("lr"), totalSteps, Get("explore"), Get("warmup"), Rate("min")),
                _ => throw Bad(name, $"unknown family '{family}' (parsable: {string.Join(", ", Families)})"),
            };
            return schedule;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Bad(name, e.Message.Split(Environment.NewLine)[0]);
        }
    }

    static InputException Bad(string name, string why) => new($"schedule '{name}': {why}");
}
