using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Configuration;
using Alrs.Learning;
using Alrs.Nodes.Configuration;
using Alrs.Nodes.Control;
using ClusterSettings = Alrs.Nodes.Configuration.ClusterSettings;

namespace Alrs.Nodes.Hosting;

/// <summary>
/// One running member of the alrs cluster: an actor system that joined its seeds, is Up,
/// prints membership changes and has started the hooks of its roles. Stopping it leaves
/// the cluster gracefully (CoordinatedShutdown).
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    readonly string _readyFile;

    ClusterNode(ActorSystem system, string readyFile)
    {
        System = system;
        _readyFile = readyFile;
    }

    public ActorSystem System { get; }

    /// <summary>The command endpoint (hocon/ctl.hocon); null when disabled or its port was taken. Closes with the actor system.</summary>
    public ControlEndpoint? Control { get; private set; }

    /// <summary>This node's address as other members see it (e.g. <c>akka.tcp://alrs@127.0.0.1:4053</c>).</summary>
    public Address SelfAddress => Cluster.Get(System).SelfAddress;

    /// <summary>
    /// Starts the actor system for <paramref name="roles"/>, joins the seeds (a seed without
    /// seeds joins itself, starting a new cluster) and waits until this member is Up.
    /// </summary>
    /// <exception cref="InputException">A worker without seeds, or bad TLS files.</exception>
    /// <exception cref="ClusterJoinException">Not Up within <c>alrs.cluster.join-timeout</c>.</exception>
    public static async Task<ClusterNode> StartAsync(
        ClusterSettings settings,
        Config loaded,
        IReadOnlyCollection<string> roles,
        bool isSeed,
        TextWriter output,
        IReadOnlyList<INodeRole>? hooks = null,
        CancellationToken cancellation = default)
    {
        if (!isSeed && settings.Seeds.Count == 0)
            throw new InputException("alrs.cluster.seeds is empty: a worker needs the address of at least one seed (--seeds host:port or ALRS_SEEDS)");

        var control = ControlSettings.FromConfig(loaded);
        var bootstrap = BootstrapSetup.Create().WithConfig(ClusterNodeConfig.ForNode(loaded, settings, roles, isSeed));
        // JSON only for the store's records: a remote payload naming any other type is refused (StoredJsonTypes).
        var setup = bootstrap.And(Actors.Serialization.StoredJsonTypes.Setup());
        if (settings.Tls is not null) setup = setup.And(RemoteTls.CreateSetup(settings.Tls));
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(settings.SystemName, setup);
        }
        catch (Exception e) when (e is not InputException)
        {
            // Akka wraps a bind failure in several AggregateExceptions; the innermost says why.
            var cause = e;
            while (cause.InnerException is not null) cause = cause.InnerException;
            throw new ClusterJoinException($"could not start the node on {settings.Host}:{settings.ListenPort(isSeed)}: {cause.Message}", e);
        }
        var node = new ClusterNode(system, settings.ReadyFile);
        node.MarkReady(false);
        node.Control = ControlEndpoint.TryOpen(system, control, output);
        try
        {
            await node.JoinAsync(settings, isSeed, output, cancellation);
            // A role that cannot start (e.g. its data set is missing) leaves the cluster again.
            foreach (var hook in hooks ?? [])
                if (roles.Contains(hook.Role))
                    hook.Start(system, system.Settings.Config);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        node.MarkReady(true);
        return node;
    }

    async Task JoinAsync(ClusterSettings settings, bool isSeed, TextWriter output, CancellationToken cancellation)
    {
        var cluster = Cluster.Get(System);
        System.ActorOf(MembershipPrinter.Props(output), "membership-printer");

        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        IReadOnlyList<Address> seeds = settings.Seeds.Count == 0 ? [cluster.SelfAddress] : settings.Seeds;
        output.WriteLine($"cluster: node {cluster.SelfAddress} [{string.Join(", ", cluster.SelfRoles.Order())}] joining {string.Join(", ", seeds)}");
        cluster.JoinSeedNodes(seeds);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(settings.JoinTimeout);
        var finished = await Task.WhenAny(up.Task, System.WhenTerminated, Task.Delay(Timeout.Infinite, timeout.Token));
        cancellation.ThrowIfCancellationRequested();
        if (finished != up.Task)
        {
            var why = finished == System.WhenTerminated ? "stopped while joining" : $"did not become Up within {settings.JoinTimeout.TotalSeconds:0.#}s";
            throw new ClusterJoinException(
                $"node {cluster.SelfAddress} {why} joining {string.Join(", ", seeds)}: is a seed running there, reachable, " +
                $"with the same system name and TLS setting (this node: TLS {(settings.Tls is null ? "off" : "on")})?");
        }
        output.WriteLine($"cluster: node {cluster.SelfAddress} is up");
    }

    /// <summary>
    /// Runs until <paramref name="cancellation"/> fires (then leaves the cluster gracefully
    /// and returns true) or the cluster removes this node (returns false).
    /// </summary>
    public async Task<bool> RunUntilStoppedAsync(CancellationToken cancellation)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellation.Register(() => stop.TrySetResult());
        await Task.WhenAny(stop.Task, System.WhenTerminated);
        if (!cancellation.IsCancellationRequested && WasRemoved()) return false;
        await LeaveAsync();
        return true;
    }

    /// <summary>Whether the cluster shut this node down (downed, or it could not join), rather than a request to leave.</summary>
    bool WasRemoved() =>
        CoordinatedShutdown.Get(System).ShutdownReason is CoordinatedShutdown.ClusterDowningReason or CoordinatedShutdown.ClusterJoinUnsuccessfulReason;

    /// <summary>Leaves the cluster (members see it exit, not crash) and terminates the actor system.</summary>
    public async Task LeaveAsync()
    {
        MarkReady(false);
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        await System.WhenTerminated;
    }

    public async ValueTask DisposeAsync()
    {
        if (!System.WhenTerminated.IsCompleted) await LeaveAsync();
        MarkReady(false);
    }

    /// <summary>Creates or deletes <c>alrs.cluster.ready-file</c>, the container health signal.</summary>
    void MarkReady(bool ready)
    {
        if (_readyFile.Length == 0) return;
        if (!ready)
        {
            File.Delete(_readyFile);
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(_readyFile));
        if (directory is not null) Directory.CreateDirectory(directory);
        Reporting.AtomicFile.WriteAllText(_readyFile, SelfAddress + Environment.NewLine);
    }
}

/// <summary>A node could not start or join its cluster in time. A runtime failure (exit 1), not bad input.</summary>
public sealed class ClusterJoinException(string message, Exception? inner = null) : Exception(message, inner);
