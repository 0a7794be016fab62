using System.Text.Json;
using Alrs.Learning.Data;
using Alrs.Learning.Ppo;
using Alrs.Learning.Rl;
using Alrs.Nodes.Cli;
using Alrs.Nodes.Commands;

namespace Alrs.Nodes.Tests.Commands;

public sealed class EvaluateCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("alrs-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    string WritePolicy(PpoSettings settings, int observations, ActionSpace actions, string name = "policy.alrspol")
    {
        using var agent = new PpoAgent(settings, observations, actions, seed: 1);
        var path = Path.Combine(_scratch, "run", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, agent.ToBlob());
        return path;
    }

    static async Task<(int Code, string Error)> Route(params string[] args)
    {
        var error = new StringWriter();
        var code = await CommandRouter.RunAsync(args, error);
        return (code, error.ToString());
    }

    [Fact]
    public async Task Missing_policy_flag_is_a_usage_error()
    {
        var (code, error) = await Route("evaluate", "--seeds", "1");

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("--policy is required", error);
    }

    [Fact]
    public async Task A_directory_without_a_policy_file_is_rejected()
    {
        var (code, error) = await Route("evaluate", "--policy", _scratch);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("holds no *.alrspol policy file", error);
    }

    [Fact]
    public async Task A_corrupt_policy_file_is_rejected_as_not_a_policy()
    {
        var path = Path.Combine(_scratch, "broken.alrspol");
        File.WriteAllText(path, "not a policy at all");

        var (code, error) = await Route("evaluate", "--policy", path, "--data-dir", DataDirectory.Default);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("not an alrs policy blob", error);
    }

    [Fact]
    public async Task A_policy_trained_for_other_actions_is_rejected_before_training()
    {
        var policy = WritePolicy(PpoSettings.Reimplementation, 7, ActionSpace.Continuous(1 / 1.05f, 1.05f));

        var (code, error) = await Route("evaluate", "--policy", policy, "--steps", "10", "--batch-size", "100", "--data-dir", DataDirectory.Default);

        Assert.Equal(CommandRouter.BadInput, code);
        Assert.Contains("evaluate with the settings the policy was trained with", error);
    }

    [Fact]
    public async Task Tiny_evaluation_on_mnist_prints_a_table_and_writes_summary_and_traces()
    {
        WritePolicy(PpoSettings.Reimplementation, 7, ActionSpace.Discrete(3));
        var output = new StringWriter();
        var outDir = Path.Combine(_scratch, "out");

        var code = await new EvaluateCommand(output).RunAsync(
            ["--policy", Path.Combine(_scratch, "run"), "--dataset", "mnist", "--arch", "mlp", "--steps", "20", "--batch-size", "100",
             "--seeds", "2", "--validation-samples", "500", "--data-dir", DataDirectory.Default, "--out", outDir], CancellationToken.None);

        var text = output.ToString();
        Assert.True(code == CommandRouter.Ok, text);
        Assert.Contains("[  2/2] policy seed 1", text);
        Assert.Contains("constant(lr=0.001) (same seeds)", text);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var result = summary.RootElement.GetProperty("result");
        Assert.Equal(2, result.GetProperty("runs").GetArrayLength());
        Assert.InRange(result.GetProperty("meanTestAccuracy").GetDouble(), 0.3, 1.0);
        Assert.Equal(2, summary.RootElement.GetProperty("table").GetArrayLength());

        var trace = File.ReadAllLines(Path.Combine(outDir, result.GetProperty("runs")[0].GetProperty("trace").GetString()!));
        Assert.Equal("step,action,lr,train_loss,val_loss,val_accuracy,reward", trace[0]);
        Assert.Equal(3, trace.Length);
        Assert.StartsWith("10,", trace[1]);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(outDir, "traces"), "*.csv").Length);
    }
}
