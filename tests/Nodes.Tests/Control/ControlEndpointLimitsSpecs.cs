using System.Collections;
using System.Net.Sockets;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Control;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Cluster;

namespace Alrs.Nodes.Tests.Control;

/// <summary>The endpoint under hostile clients: floods of idle connections, too many streams, missing tokens.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ControlEndpointLimitsSpecs
{
    static Config With(params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string> { ["alrs.cluster.port"] = "0", ["alrs.ctl.port"] = "0", ["akka.loglevel"] = "WARNING" };
        foreach (var (key, value) in settings) overrides[key] = value;
        return ClusterNodeConfig.Load(overrides, environment: new Hashtable());
    }

    static async Task<string> SendAsync(ClusterNode node, string? token, params string[] command)
    {
        var (_, request) = ControlCommands.ParseCommandLine(command);
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ControlClient.SendAsync("127.0.0.1", node.Control!.Port, request with { Token = token }, lines.Add, streams: false, timeout.Token);
        return string.Join("\n", lines);
    }

    [Fact]
    public async Task A_thousand_idle_connections_neither_lock_out_ctl_nor_pile_up()
    {
        await using var node = await ControlNodes.StartSeedAsync([NodeRoles.Learner]);
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                var client = new TcpClient();
                idle.Add(client);
                await client.ConnectAsync("127.0.0.1", node.Control!.Port);
            }

            var show = await SendAsync(node, null, "cluster", "show");

            Assert.Contains("Up", show);
            Assert.True(node.Control!.Connections <= 64, $"{node.Control.Connections} connections served");
        }
        finally
        {
            foreach (var client in idle) client.Dispose();
        }
    }

    [Fact]
    public async Task A_stream_beyond_max_streams_is_refused_and_its_slot_comes_back_when_one_ends()
    {
        await using var node = await ControlNodes.StartSeedAsync([NodeRoles.Learner], With(("alrs.ctl.max-streams", "1")));
        var endpoint = ControlNodes.Endpoint(node);
        var first = new LineCapture();
        using var stopFirst = new CancellationTokenSource();
        var tail = new Alrs.Nodes.Commands.CtlCommand(first).RunAsync([endpoint, "cluster", "tail"], stopFirst.Token);
        await Poll.UntilAsync(() => first.ToString().Contains("following"), TimeSpan.FromSeconds(10), () => $"no tail header: {first}");

        var refused = await Assert.ThrowsAsync<ControlCommandException>(() =>
            new Alrs.Nodes.Commands.CtlCommand(new LineCapture()).RunAsync([endpoint, "cluster", "tail"], CancellationToken.None));
        Assert.Contains("alrs.ctl.max-streams", refused.Message);

        await stopFirst.CancelAsync();
        await tail;
        // The node frees the slot once it sees the first connection close, which may come a moment
        // after the client returns: a refused attempt in between is retried, a granted one ends the wait.
        using var stopSecond = new CancellationTokenSource();
        var second = new LineCapture();
        Task? again = null;
        await Poll.UntilAsync(async () =>
        {
            if (again is { IsFaulted: true }) again = null;
            if (again is null)
            {
                second = new LineCapture();
                again = new Alrs.Nodes.Commands.CtlCommand(second).RunAsync([endpoint, "cluster", "tail"], stopSecond.Token);
                await Task.WhenAny(again, Task.Delay(200));
            }
            return second.ToString().Contains("following");
        }, TimeSpan.FromSeconds(10), () => $"the slot did not come back: {second}");
        await stopSecond.CancelAsync();
        await again!;
    }

    [Fact]
    public async Task With_a_token_set_a_request_without_it_or_with_another_is_refused()
    {
        await using var node = await ControlNodes.StartSeedAsync([NodeRoles.Learner], With(("alrs.ctl.token", "correct horse")));

        var missing = await Assert.ThrowsAsync<ControlCommandException>(() => SendAsync(node, null, "cluster", "show"));
        var wrong = await Assert.ThrowsAsync<ControlCommandException>(() => SendAsync(node, "battery staple", "cluster", "show"));

        Assert.Contains(ControlSettings.TokenVariable, missing.Message);
        Assert.Contains(ControlSettings.TokenVariable, wrong.Message);
        Assert.Contains("Up", await SendAsync(node, "correct horse", "cluster", "show"));
    }

    [Theory]
    [InlineData("0.0.0.0", "", false)]
    [InlineData("192.168.1.20", "", false)]
    [InlineData("ctl.example.org", "", false)]
    [InlineData("0.0.0.0", "s3cret", true)]
    [InlineData("127.0.0.1", "", true)]
    [InlineData("::1", "", true)]
    [InlineData("localhost", "", true)]
    public void A_non_loopback_endpoint_needs_a_token(string host, string token, bool accepted)
    {
        var config = ClusterNodeConfig.Load(new Dictionary<string, string> { ["alrs.ctl.host"] = host }, environment: new Hashtable { ["ALRS_CTL_TOKEN"] = token });

        if (accepted)
        {
            Assert.Equal(token, ControlSettings.FromConfig(config).Token);
            return;
        }
        var error = Assert.Throws<InputException>(() => ControlSettings.FromConfig(config));
        Assert.Contains("ALRS_CTL_TOKEN", error.Message);
        Assert.Contains("not a loopback address", error.Message);
    }

    [Fact]
    public void The_token_never_shows_in_the_settings_text()
    {
        var settings = ControlSettings.FromConfig(With(("alrs.ctl.token", "do-not-print")));

        Assert.DoesNotContain("do-not-print", settings.ToString());
        Assert.DoesNotContain("do-not-print", (new ControlRequest(["cluster", "show"], [], new Dictionary<string, string>(), "do-not-print")).ToString());
    }
}
