using System.Runtime.InteropServices;
using Alrs.Learning;

namespace Alrs.Nodes.Cli;

/// <summary>
/// Dispatches <c>alrs VERB ...</c> to its command and turns failures into exit codes:
/// 0 success, 1 runtime failure, 2 bad input (usage, configuration, files), 130 interrupted.
/// </summary>
public static class CommandRouter
{
    public const int Ok = 0, Failure = 1, BadInput = 2, Interrupted = 130;

    /// <summary>Every verb. Add a command here and in its own file under Commands/.</summary>
    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new Commands.DataCommand(),
        new Commands.SeedCommand(),
        new Commands.WorkerCommand(),
        new Commands.BaselinesCommand(),
        new Commands.EvaluateCommand(),
        new Commands.TrainCommand(),
        new Commands.SelectCommand(),
        new Commands.ReportCommand(),
        new Commands.PolicyCommand(),
        new Commands.CtlCommand(),
        new Commands.ClusterCommand(),
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(args.Length == 0 ? error : Console.Out);
            return args.Length == 0 ? BadInput : Ok;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            error.WriteLine($"alrs: unknown command '{args[0]}'");
            PrintUsage(error);
            return BadInput;
        }
        if (args.Length > 1 && args[1..].Any(a => a is "-h" or "--help"))
        {
            Console.Out.WriteLine($"usage: alrs {command.Name} {command.Synopsis}");
            return Ok;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, docker stop) stops every command the way Ctrl-C does: a run ends with
        // "interrupted" and exit 130, its committed policy versions kept for --resume.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            return await command.RunAsync(args[1..], cancellation.Token);
        }
        catch (UsageException e)
        {
            error.WriteLine($"alrs {command.Name}: {e.Message}");
            error.WriteLine($"usage: alrs {command.Name} {command.Synopsis}");
            return BadInput;
        }
        catch (InputException e)
        {
            error.WriteLine($"alrs {command.Name}: {e.Message}");
            return BadInput;
        }
        catch (Akka.Configuration.ConfigurationException e)
        {
            error.WriteLine($"alrs {command.Name}: configuration error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            error.WriteLine($"alrs {command.Name}: interrupted");
            return Interrupted;
        }
        catch (Exception e)
        {
            error.WriteLine($"alrs {command.Name}: failed: {e.Message}");
            if (Environment.GetEnvironmentVariable("ALRS_DEBUG") == "1") error.WriteLine(e);
            return Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: alrs <command> [arguments]");
        writer.WriteLine();
        foreach (var command in Commands)
            writer.WriteLine($"  {command.Name,-10} {command.Synopsis}");
        writer.WriteLine();
        writer.WriteLine("Set ALRS_DEBUG=1 for stack traces on failure.");
    }
}
