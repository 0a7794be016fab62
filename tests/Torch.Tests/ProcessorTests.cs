namespace Alrs.Torch.Tests;

public class ProcessorTests
{
    [SkippableFact]
    public void Identity_names_the_model_and_its_generation_from_proc_cpuinfo()
    {
        var text = File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "";
        Skip.IfNot(text.Contains("cpu family") && text.Contains("model name"), "no x86 /proc/cpuinfo with model name and family here");
        var name = text.Split('\n').First(l => l.StartsWith("model name")).Split(':', 2)[1].Trim();

        var identity = Processor.Identity();

        Assert.StartsWith(name + " (family ", identity);
        Assert.Matches(@"\(family \d+, model \d+, stepping \d+\)$", identity);
    }
}
