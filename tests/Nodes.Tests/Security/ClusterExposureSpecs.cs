using System.Collections;
using Alrs.Learning;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Hosting;

namespace Alrs.Nodes.Tests.Security;

/// <summary>The decision that keeps a node without TLS on loopback. Nothing here binds a socket.</summary>
public sealed class ClusterExposureSpecs
{
    static ClusterSettings Settings(string host, bool tls = false)
    {
        var settings = ClusterSettings.FromConfig(ClusterNodeConfig.Load(new Dictionary<string, string> { ["alrs.cluster.host"] = host }, environment: new Hashtable()));
        return tls ? settings with { Tls = new TlsSettings("/keys/cluster.pfx", "", TlsValidation.Pinned, []) } : settings;
    }

    [Theory]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("::1", false, false)]
    [InlineData("localhost", false, false)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("10.1.2.3", true, false)]
    [InlineData("node7.example.org", true, false)]
    [InlineData("0.0.0.0", false, true)]
    public void Only_a_bind_beyond_loopback_without_tls_is_exposed(string host, bool exposed, bool tls)
    {
        Assert.Equal(exposed, ClusterExposure.Exposure(Settings(host, tls), 4053) is not null);
    }

    [Fact]
    public void Without_tls_beyond_loopback_the_node_is_refused_naming_both_ways_out()
    {
        var error = Assert.Throws<InputException>(() => ClusterExposure.Check("seed", Settings("0.0.0.0"), 4053, insecure: false));

        Assert.Contains("--tls", error.Message);
        Assert.Contains("--insecure", error.Message);
        Assert.Contains("0.0.0.0:4053", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void Insecure_turns_the_refusal_into_a_warning_saying_what_is_given_up()
    {
        var warning = ClusterExposure.Check("worker", Settings("0.0.0.0"), 0, insecure: true);

        Assert.NotNull(warning);
        Assert.StartsWith("WARNING: alrs worker --insecure", warning);
        Assert.Contains("neither encrypted nor authenticated", warning);
        Assert.Null(ClusterExposure.Check("worker", Settings("127.0.0.1"), 0, insecure: true));
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("worker")]
    public async Task The_command_exits_2_with_one_line_before_binding_anything(string command)
    {
        var error = new StringWriter();

        // 0.0.0.0 is refused before any socket opens; the ctl endpoint stays on loopback.
        var code = await CommandRouter.RunAsync([command, "--host", "0.0.0.0", "--port", "0", "--seeds", "127.0.0.1:1", "--no-fetch"], error);

        Assert.Equal(CommandRouter.BadInput, code);
        var line = Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith($"alrs {command}: the cluster port 0.0.0.0:", line);
        Assert.Contains("--tls", line);
        Assert.Contains("--insecure", line);
    }
}
