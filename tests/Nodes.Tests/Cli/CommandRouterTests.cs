using Alrs.Nodes.Cli;

namespace Alrs.Nodes.Tests.Cli;

public sealed class CommandRouterTests
{
    [Theory]
    [InlineData("train", "--help")]
    [InlineData("evaluate", "-h")]
    [InlineData("baselines", "--dataset", "nonsense", "--help")]
    public async Task Help_on_a_command_prints_its_usage_and_exits_0_without_running_it(params string[] args)
    {
        var error = new StringWriter();

        var code = await CommandRouter.RunAsync(args, error);

        Assert.Equal(CommandRouter.Ok, code);
        Assert.Equal("", error.ToString());
    }
}
