using System.Globalization;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Environments;

namespace Alrs.Nodes.Configuration;

/// <summary>
/// A policy blob records the observation, action and reward settings it was trained with; they
/// replace the shipped defaults when it is evaluated. A preset, config file or flag that sets one
/// of them to something else is a mistake worth stopping for, not a setting to follow silently.
/// </summary>
public static class PolicySpecCheck
{
    const string Env = "alrs.env";

    /// <param name="explicitSettings">The configuration without the shipped defaults (what the user chose).</param>
    public static void RefuseContradictions(ControllerSpec spec, Config explicitSettings, string policyName)
    {
        foreach (var (key, value) in spec.Entries())
        {
            var path = $"{Env}.{key}";
            if (!explicitSettings.HasPath(path)) continue;
            var chosen = explicitSettings.GetString(path)?.Trim() ?? "";
            if (!Same(key, chosen, value, path))
                throw new InputException($"{path} = {chosen} contradicts the policy {policyName}, which was trained with {key} = {value} (leave it unset to use the policy's)");
        }
    }

    static bool SameCap(string chosen, string recorded)
    {
        try { return ResidualCap.Parse(chosen) == ResidualCap.Parse(recorded); }
        catch (InputException) { return false; }
    }

    static bool Same(string key, string chosen, string recorded, string path) => key switch
    {
        "action-factor" => double.TryParse(chosen, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
                           && factor == double.Parse(recorded, CultureInfo.InvariantCulture),
        "observe-progress" => ExperimentSettings.OnOff(chosen, path) == (recorded == "on"),
        "residual-cap" => SameCap(chosen, recorded),
        _ => string.Equals(chosen, recorded, StringComparison.OrdinalIgnoreCase),
    };
}
