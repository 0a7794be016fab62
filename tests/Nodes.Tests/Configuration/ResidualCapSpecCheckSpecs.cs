using Akka.Configuration;
using Alrs.Learning;
using Alrs.Learning.Environments;
using Alrs.Nodes.Configuration;

namespace Alrs.Nodes.Tests.Configuration;

/// <summary>A residual policy's late cap, recorded or not, against the cap a configuration asks for.</summary>
public sealed class ResidualCapSpecCheckSpecs
{
    const string Knee = "knee(lr=0.01,explore=0.7,warmup=0.05,min=1E-05)";
    static readonly ControllerSpec Uncapped = new(ObservationFeatures.Log, true, ActionMappings.Residual, 4, RewardMode.Relative, Knee);
    static readonly ControllerSpec Capped = Uncapped with { ResidualCap = new ResidualCap(0.7, 1) };

    static void Check(ControllerSpec spec, string hocon) =>
        PolicySpecCheck.RefuseContradictions(spec, ConfigurationFactory.ParseString(hocon), "p.alrspol");

    [Fact]
    public void A_cap_asked_of_a_policy_trained_without_one_is_refused_not_ignored()
    {
        var error = Assert.Throws<InputException>(() => Check(Uncapped, "alrs.env.residual-cap = \"0.7:1\""));
        Assert.Equal("alrs.env.residual-cap = 0.7:1 contradicts the policy p.alrspol, which was trained with residual-cap = off (leave it unset to use the policy's)", error.Message);
        Check(Uncapped, "alrs.env.residual-cap = off");
    }

    [Fact]
    public void The_recorded_cap_is_accepted_however_it_is_spelled_and_another_one_is_refused()
    {
        Check(Capped, "alrs.env.residual-cap = \"0.70:1.0\"");
        Check(Capped, "alrs.env.action = residual");
        Assert.Throws<InputException>(() => Check(Capped, "alrs.env.residual-cap = \"0.8:1\""));
        Assert.Throws<InputException>(() => Check(Capped, "alrs.env.residual-cap = off"));
    }
}
