using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;
using Alrs.Nodes.Hosting;
using Alrs.Nodes.Tests.Cluster;

namespace Alrs.Nodes.Tests.Control;

/// <summary><c>alrs ctl</c> against a real seed node's endpoint: cluster commands, the actor tree, and the exit codes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CtlClusterSpecs : IAsyncLifetime
{
    ClusterNode _seed = null!;
    readonly List<ClusterNode> _others = [];

    public async Task InitializeAsync() => _seed = await ControlNodes.StartSeedAsync([NodeRoles.Learner, NodeRoles.Worker]);

    public async Task DisposeAsync()
    {
        foreach (var node in _others) await node.DisposeAsync();
        await _seed.DisposeAsync();
    }

    async Task<(int Code, string Output)> Ctl(params string[] words)
    {
        var output = new LineCapture();
        var code = await new CtlCommand(output).RunAsync([ControlNodes.Endpoint(_seed), .. words], CancellationToken.None);
        return (code, output.ToString());
    }

    /// <summary>The STATUS column of <paramref name="member"/>'s row in <c>cluster show</c> output; null without a row.</summary>
    static string? StatusIn(string show, Akka.Actor.Address member) =>
        show.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(cells => cells.Length > 1 && cells[0] == member.ToString())?[1];

    static async Task<(int Code, string Error)> Route(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    [Fact]
    public async Task Cluster_show_lists_the_node_as_up_with_its_roles_as_leader()
    {
        var (code, output) = await Ctl("cluster", "show");

        Assert.Equal(CommandRouter.Ok, code);
        var row = Assert.Single(output.Split('\n'), l => l.StartsWith(_seed.SelfAddress.ToString(), StringComparison.Ordinal));
        Assert.Equal([_seed.SelfAddress.ToString(), "Up", "learner,worker", "reachable", "leader", "self"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"leader: {_seed.SelfAddress}; members: 1, unreachable: 0", output);
    }

    [Fact]
    public async Task Actor_hierarchy_shows_user_actors_and_system_actors_only_when_asked()
    {
        var (code, user) = await Ctl("actor", "hierarchy");
        Assert.Equal(CommandRouter.Ok, code);
        var lines = user.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/user", lines[0]);
        Assert.Contains("  membership-printer", lines);
        Assert.DoesNotContain("/system", lines);

        var (_, both) = await Ctl("actor", "hierarchy", "--system", "--depth", "1");
        var all = both.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("/system", all);
        Assert.Contains("  cluster", all);
        Assert.DoesNotContain(all, l => l.StartsWith("    ", StringComparison.Ordinal));

        var (_, deep) = await Ctl("actor", "hierarchy", "--system");
        Assert.Contains("    core", deep.Split('\n')); // /system/cluster/core
    }

    [Fact]
    public async Task Cluster_tail_follows_a_second_node_joining_and_then_leaving_on_request()
    {
        var output = new LineCapture();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tail = new CtlCommand(output).RunAsync([ControlNodes.Endpoint(_seed), "cluster", "tail"], stop.Token);
        await Poll.UntilAsync(() => output.ToString().Contains("following 1 member(s)"), TimeSpan.FromSeconds(10), () => $"no tail header: {output}");

        var worker = await ControlNodes.StartWorkerAsync(_seed.SelfAddress);
        _others.Add(worker);
        await Poll.UntilAsync(() => output.ToString().Contains($"member up {worker.SelfAddress} [worker]"), TimeSpan.FromSeconds(20), () => $"no join in: {output}");

        var (code, leave) = await Ctl("cluster", "leave", $"{worker.SelfAddress.Host}:{worker.SelfAddress.Port}");
        Assert.Equal(CommandRouter.Ok, code);
        Assert.Contains($"leave requested for {worker.SelfAddress}", leave);
        await Poll.UntilAsync(() => output.ToString().Contains($"member removed (was Exiting) {worker.SelfAddress}"), TimeSpan.FromSeconds(20), () => $"no removal in: {output}");
        await worker.System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(20)); // the worker shut down after leaving

        stop.Cancel();
        Assert.Equal(CommandRouter.Ok, await tail);
    }

    [Fact]
    public async Task Cluster_down_removes_a_member_whose_node_then_shuts_down()
    {
        var worker = await ControlNodes.StartWorkerAsync(_seed.SelfAddress);
        _others.Add(worker);
        await Poll.UntilAsync(async () => StatusIn((await Ctl("cluster", "show")).Output, worker.SelfAddress) == "Up", TimeSpan.FromSeconds(20), () => "the worker is not Up");

        var (code, output) = await Ctl("cluster", "down", worker.SelfAddress.ToString());

        Assert.Equal(CommandRouter.Ok, code);
        Assert.Contains($"down requested for {worker.SelfAddress} (was Up)", output);
        await worker.System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(20)); // run-coordinated-shutdown-when-down
        await Poll.UntilAsync(async () => StatusIn((await Ctl("cluster", "show")).Output, worker.SelfAddress) is null, TimeSpan.FromSeconds(20), () => "the downed worker is still a member");
    }

    [Fact]
    public async Task Leaving_an_unknown_member_fails_with_exit_1_naming_the_members()
    {
        var (code, error) = await Route("ctl", ControlNodes.Endpoint(_seed), "cluster", "leave", "127.0.0.1:1");

        Assert.Equal(CommandRouter.Failure, code);
        Assert.Contains("no member akka.tcp://alrs@127.0.0.1:1; members: " + _seed.SelfAddress, error);
    }

    [Theory]
    [InlineData("learner status", "no learner on this node (nothing at /user/learner-proxy or /user/learner)")]
    [InlineData("envs scale 2", "no rollout supervisor on this node or any Up worker")]
    [InlineData("envs status --worker 127.0.0.1:1", "no member akka.tcp://alrs@127.0.0.1:1; members: ")]
    public async Task Commands_for_actors_this_node_does_not_run_fail_with_exit_1_saying_so(string words, string message)
    {
        var (code, error) = await Route(["ctl", ControlNodes.Endpoint(_seed), .. words.Split(' ')]);

        Assert.Equal(CommandRouter.Failure, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("envs scale many", "N must be an integer")]
    [InlineData("envs scale 3 --worker nowhere", "'nowhere' is not an address")]
    [InlineData("cluster explode", "unknown command 'cluster explode'")]
    [InlineData("launch", "unknown command 'launch'")]
    [InlineData("actor hierarchy --depth 0", "--depth must be in [1,")]
    [InlineData("cluster leave", "'cluster leave' needs ADDRESS")]
    [InlineData("cluster show --verbose", "unknown option --verbose")]
    public async Task A_bad_command_line_exits_2_without_contacting_the_node(string words, string message)
    {
        // Port 1 has no listener: a usage error must be reported before connecting.
        var (code, error) = await Route(["ctl", "127.0.0.1:1", .. words.Split(' ')]);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_exits_1_within_5_seconds()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var clock = Stopwatch.StartNew();
        var (code, error) = await Route("ctl", $"127.0.0.1:{port}", "cluster", "show");

        Assert.Equal(CommandRouter.Failure, code);
        Assert.Contains($"cannot reach the ctl endpoint 127.0.0.1:{port}", error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
