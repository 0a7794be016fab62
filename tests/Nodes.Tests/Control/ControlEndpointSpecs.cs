using System.Collections;
using System.Net.Sockets;
using System.Text;
using Alrs.Learning;
using Alrs.Nodes.Control;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Cluster;

namespace Alrs.Nodes.Tests.Control;

/// <summary>The endpoint's configuration and its robustness against bad clients and taken ports.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ControlEndpointSpecs
{
    [Fact]
    public void Shipped_ctl_hocon_opens_a_loopback_endpoint_on_9110()
    {
        var settings = ControlSettings.FromConfig(ClusterNodeConfig.Load(environment: new Hashtable()));

        Assert.Equal(new ControlSettings(true, "127.0.0.1", 9110, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)), settings);
    }

    [Fact]
    public void Environment_variables_set_the_endpoint()
    {
        var config = ClusterNodeConfig.Load(environment: new Hashtable { ["ALRS_CTL_HOST"] = "0.0.0.0", ["ALRS_CTL_PORT"] = "0", ["ALRS_CTL_ENABLED"] = "off" });

        Assert.Equal(("0.0.0.0", 0, false), (ControlSettings.FromConfig(config).Host, ControlSettings.FromConfig(config).Port, ControlSettings.FromConfig(config).Enabled));
    }

    [Theory]
    [InlineData("alrs.ctl.port", "70000", "alrs.ctl.port must be an integer in [0, 65535]")]
    [InlineData("alrs.ctl.enabled", "maybe", "alrs.ctl.enabled must be on or off")]
    [InlineData("alrs.ctl.ask-timeout", "0s", "alrs.ctl.ask-timeout must be positive")]
    public void Bad_values_are_rejected_naming_the_key(string key, string value, string message)
    {
        var config = ClusterNodeConfig.Load(new Dictionary<string, string> { [key] = value }, environment: new Hashtable());

        Assert.Contains(message, Assert.Throws<InputException>(() => ControlSettings.FromConfig(config)).Message);
    }

    [Fact]
    public async Task A_node_whose_ctl_port_is_taken_runs_without_an_endpoint_and_says_so()
    {
        await using var first = await ControlNodes.StartSeedAsync([NodeRoles.Learner]);
        var taken = first.Control!.Port;
        var output = new LineCapture();
        var config = ClusterNodeConfig.Load(new Dictionary<string, string> { ["alrs.cluster.port"] = "0", ["alrs.ctl.port"] = taken.ToString() }, environment: new Hashtable());

        await using var second = await ControlNodes.StartSeedAsync([NodeRoles.Learner], config, output);

        Assert.Null(second.Control);
        Assert.Contains($"ctl: cannot open the ctl endpoint on 127.0.0.1:{taken}: address already in use", output.ToString());
        Assert.Contains("running without a command endpoint", output.ToString());
    }

    [Fact]
    public async Task Malformed_requests_get_an_error_reply_and_the_endpoint_keeps_serving()
    {
        await using var node = await ControlNodes.StartSeedAsync([NodeRoles.Learner]);
        var port = node.Control!.Port;

        Assert.StartsWith("malformed ControlRequest", await ExpectErrorAsync(port, "this is not json"));
        Assert.Equal("request has no command", await ExpectErrorAsync(port, "{}"));
        Assert.StartsWith("unknown command 'cluster explode'", await ExpectErrorAsync(port, """{"command":["cluster","explode"]}"""));
        var show = await ExchangeAsync(port, """{"command":["cluster","show"]}""");
        Assert.Equal(ControlReplyKind.Line, show.Kind);
        Assert.StartsWith("ADDRESS", show.Text);
    }

    static async Task<string> ExpectErrorAsync(int port, string requestLine)
    {
        var reply = await ExchangeAsync(port, requestLine);
        Assert.Equal(ControlReplyKind.Error, reply.Kind);
        return reply.Text;
    }

    /// <summary>Sends one raw request line and returns the first reply.</summary>
    static async Task<ControlReply> ExchangeAsync(int port, string requestLine)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(requestLine + "\n"));
        using var reader = new StreamReader(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return ControlJson.Parse<ControlReply>(await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the node closed the connection without a reply"));
    }
}
