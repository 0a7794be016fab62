using System.Globalization;

namespace Alrs.Learning.Environments;

/// <summary>
/// The environment settings a policy is bound to: what it observes, how its action moves the
/// rate and what it was rewarded for. A policy blob records it, so a policy trained with one
/// feature set is never evaluated silently with another.
/// </summary>
/// <remarks>
/// <paramref name="ResidualBase"/> is the residual action's base schedule (empty for other actions; format 3 on),
/// <paramref name="ResidualCap"/> its late bound (null: none).
/// </remarks>
public sealed record ControllerSpec(string Observation, bool ObserveProgress, string Action, double ActionFactor, RewardMode Reward, string ResidualBase = "",
    ResidualCap? ResidualCap = null)
{
    public static ControllerSpec Of(EnvironmentSettings settings) =>
        new(settings.Observation, settings.ObserveProgress, settings.Action, settings.ActionFactor, settings.Reward,
            settings.Action == ActionMappings.Residual ? settings.ResidualBase : "",
            settings.Action == ActionMappings.Residual && !settings.ResidualCap.IsNone ? settings.ResidualCap : null);

    /// <summary><paramref name="settings"/> with this spec's observation, action and reward.</summary>
    public EnvironmentSettings ApplyTo(EnvironmentSettings settings) => settings with
    {
        Observation = Observation, ObserveProgress = ObserveProgress, Action = Action, ActionFactor = ActionFactor, Reward = Reward,
        ResidualBase = ResidualBase, ResidualCap = ResidualCap ?? ResidualCap.None,
    };

    /// <summary>The spec as HOCON key/value pairs under <c>alrs.env</c>, in the form a config file spells them.</summary>
    public IReadOnlyList<(string Key, string Value)> Entries() =>
    [
        ("observation", Observation),
        ("observe-progress", ObserveProgress ? "on" : "off"),
        ("action", Action),
        ("action-factor", ActionFactor.ToString("G", CultureInfo.InvariantCulture)),
        ("reward", Reward.ToString().ToLowerInvariant()),
        .. ResidualBase.Length > 0 ? new[] { ("residual-base", ResidualBase) } : [],
        // A residual policy trained without the cap says so, so a config that sets one is refused, not ignored.
        .. Action == ActionMappings.Residual ? new[] { ("residual-cap", (ResidualCap ?? ResidualCap.None).ToString()) } : [],
    ];

    public override string ToString() => string.Join(", ", Entries().Select(e => $"{e.Key} = {e.Value}"));
}
