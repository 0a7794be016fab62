using Akka.Actor;
using Alrs.Messages;

namespace Alrs.Actors;

/// <summary>
/// What a receiver of <see cref="PolicyVersion"/>s (an environment, a node's relay) checks
/// before it adopts one, besides the checksum: it comes from the learner (the ref it was
/// given, or an actor with the learner's name: through a cluster singleton proxy the sender is
/// the learner itself) or from its own node's relay, and it is a plausible next version
/// (newer, by at most <see cref="MaxStep"/>: a forged <c>long.MaxValue</c> would otherwise
/// make every later real version look old). Each kind of refusal is logged once per receiver.
/// In a population the versions come from the learner's children (<c>learner/learner-c0</c>, …),
/// each controller's numbered on its own (the caller passes the version held of that controller),
/// and a controller id must be one a population can have.
/// </summary>
public sealed class PolicySource(IActorRef learner, IActorRef? relay = null)
{
    /// <summary>
    /// A learner publishes one version per update (plus a few numbers skipped when the store
    /// failed): a million is years of updates, far beyond any real gap, far below a forged jump.
    /// </summary>
    public const long MaxStep = 1_000_000;

    /// <summary>The learner actor's name in every graph (<c>alrs train</c>, the cluster's learner host).</summary>
    public const string LearnerName = "learner";

    bool _senderLogged, _jumpLogged, _controllerLogged, _assignmentLogged;

    /// <summary>Null when <paramref name="policy"/> may be adopted over <paramref name="current"/>; else why not (<paramref name="log"/>: the first time of its kind).</summary>
    public string? Refusal(PolicyVersion policy, long current, IActorRef sender, out bool log)
    {
        log = false;
        if (!sender.Equals(learner) && !sender.Equals(relay) && !IsLearner(sender.Path))
        {
            log = !_senderLogged;
            _senderLogged = true;
            return $"policy version {policy.Version} from {sender.Path}, neither the learner nor this node's relay";
        }
        if (policy.Controller is < 0 or >= PopulationSettings.MaxControllers)
        {
            log = !_controllerLogged;
            _controllerLogged = true;
            return $"policy version {policy.Version} of controller {policy.Controller}, outside [0, {PopulationSettings.MaxControllers})";
        }
        // current is at most what was accepted (never near long.MaxValue): this sum cannot overflow.
        if (policy.Version > Math.Max(current, -1) + MaxStep)
        {
            log = !_jumpLogged;
            _jumpLogged = true;
            return $"policy version {policy.Version} jumps more than {MaxStep} versions past {current}";
        }
        return null;
    }

    /// <summary>Null when <paramref name="assign"/> may change which controller an environment plays for; else why not.</summary>
    public string? AssignmentRefusal(AssignController assign, IActorRef sender, out bool log)
    {
        log = false;
        string? refusal = null;
        if (!sender.Equals(learner) && sender.Path.Name != LearnerName)
            refusal = $"AssignController({assign.Controller}) from {sender.Path}, not the learner";
        else if (assign.Controller is < 0 or >= PopulationSettings.MaxControllers)
            refusal = $"AssignController({assign.Controller}), outside [0, {PopulationSettings.MaxControllers})";
        if (refusal is null) return null;
        log = !_assignmentLogged;
        _assignmentLogged = true;
        return refusal;
    }

    /// <summary>The learner itself, or one of a population's learners (its children <c>learner-cK</c>).</summary>
    static bool IsLearner(ActorPath path) =>
        path.Name == LearnerName || (path.Parent?.Name == LearnerName && path.Name.StartsWith(LearnerName + "-c", StringComparison.Ordinal));
}
