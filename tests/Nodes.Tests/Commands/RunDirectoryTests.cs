using Akka.Configuration;
using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

public sealed class RunDirectoryTests
{
    [Fact]
    public void A_run_directory_from_elsewhere_lends_only_its_problem_and_controller_settings()
    {
        var hostile = ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = "0.0.0.0"
            akka.actor.serialize-messages = on
            alrs.store.provider-name = "PostgreSQL"
            alrs.store.connection-string = "Host=db.example.org;Database=theirs"
            alrs.store.persistence-id = "their-store"
            alrs.env.dataset = "fashion-mnist"
            alrs.ppo.gamma = 0.5
            alrs.actors.learner.steps-per-update = 7
            """);

        var taken = RunDirectory.ControllerAndProblem(hostile);

        Assert.False(taken.HasPath("akka"));
        Assert.False(taken.HasPath("alrs.store.provider-name"));
        Assert.False(taken.HasPath("alrs.store.connection-string"));
        Assert.False(taken.HasPath("alrs.actors"));
        Assert.Equal("their-store", taken.GetString("alrs.store.persistence-id"));
        Assert.Equal("fashion-mnist", taken.GetString("alrs.env.dataset"));
        Assert.Equal(0.5, taken.GetDouble("alrs.ppo.gamma"));
    }
}
