using System.Runtime.CompilerServices;
using System.Text;
using TorchSharp;

namespace Alrs.Torch;

/// <summary>
/// Makes TorchSharp's native library loadable before the first torch call, and
/// resolves device names from configuration.
/// </summary>
public static class TorchRuntime
{
    const string NativeLibrary = "libLibTorchSharp.so";
    static readonly object Gate = new();
    static bool _ready;

    /// <summary>Runs when this assembly loads, so any use of alrs' learning code is covered.</summary>
#pragma warning disable CA2255 // deliberate: the patch must precede any torch call from any caller
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnLoad()
    {
        // Only prepare the file here: loading libtorch is left to the first real use.
        try { PatchIfNeeded(); } catch { /* reported with context by EnsureLoadable */ }
    }

    /// <summary>
    /// Patches the app-local copy of libLibTorchSharp.so when the system libstdc++ lacks
    /// GLIBCXX_3.4.32 (see <see cref="ElfVersionPatch"/>), then loads libtorch. Idempotent;
    /// throws with an explanation instead of TorchSharp's misleading load error.
    /// </summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_ready) return;
            var patched = PatchIfNeeded();
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    $"TorchSharp's native library could not be loaded ({patched}). " +
                    $"System libstdc++: {SystemLibStdCxx() ?? "not found"}. Cause: {e.InnerException?.Message ?? e.Message}", e);
            }
            _ready = true;
        }
    }

    /// <summary>Describes what was done, for error messages.</summary>
    static string PatchIfNeeded()
    {
        if (!OperatingSystem.IsLinux()) return "no patch needed on this OS";
        var stdcxx = SystemLibStdCxx();
        if (stdcxx is not null && FileMentions(stdcxx, ElfVersionPatch.MissingVersion))
            return $"{stdcxx} provides {ElfVersionPatch.MissingVersion}";

        var library = AppLocalLibrary();
        if (library is null) return $"no app-local {NativeLibrary} found under {AppContext.BaseDirectory}";
        lock (Gate)
        {
            var image = File.ReadAllBytes(library);
            var outcome = ElfVersionPatch.Apply(image);
            if (outcome == ElfVersionPatch.Outcome.Patched)
            {
                // Write beside and rename: a process that already mapped the old file keeps it,
                // and the original inode (which might be shared with the NuGet cache) is never written.
                var temporary = $"{library}.{Environment.ProcessId}.tmp";
                File.WriteAllBytes(temporary, image);
                File.Move(temporary, library, overwrite: true);
            }
            return $"{library}: {outcome}";
        }
    }

    /// <summary>The copy of libLibTorchSharp.so TorchSharp loads: the build output's, never the NuGet cache's.</summary>
    static string? AppLocalLibrary()
    {
        var baseDir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDir, "runtimes", "linux-x64", "native", NativeLibrary),
            Path.Combine(baseDir, NativeLibrary),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>The libstdc++ this process uses (from its memory map), or a standard Debian path.</summary>
    static string? SystemLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var at = line.IndexOf('/');
                if (at >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal)) return line[at..];
            }
        }
        catch (IOException) { }
        string[] known = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        return known.FirstOrDefault(File.Exists);
    }

    static bool FileMentions(string path, string text)
    {
        var needle = Encoding.ASCII.GetBytes(text);
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }

    /// <summary>
    /// Resolves a configured device name: <c>cpu</c>, <c>cuda:N</c>, or <c>auto</c>
    /// (round-robin over visible GPUs by <paramref name="index"/>, CPU when there are none).
    /// </summary>
    public static torch.Device ResolveDevice(string name, int index = 0)
    {
        EnsureLoadable();
        var trimmed = name.Trim().ToLowerInvariant();
        if (trimmed == "cpu") return torch.CPU;
        if (trimmed == "auto")
            return torch.cuda.is_available() && torch.cuda.device_count() > 0
                ? new torch.Device(DeviceType.CUDA, index % torch.cuda.device_count())
                : torch.CPU;
        if (trimmed.StartsWith("cuda", StringComparison.Ordinal))
        {
            var ordinal = 0;
            if (trimmed.Length > 4 && (trimmed[4] != ':' || !int.TryParse(trimmed[5..], out ordinal) || ordinal < 0))
                throw new ArgumentException($"device '{name}' is not of the form cuda:N");
            if (!torch.cuda.is_available())
                throw new ArgumentException($"device '{name}' requested but CUDA is not available (is this a TorchBackend=cuda build on a GPU machine?)");
            if (ordinal >= torch.cuda.device_count())
                throw new ArgumentException($"device '{name}' requested but only {torch.cuda.device_count()} GPU(s) are visible");
            return new torch.Device(DeviceType.CUDA, ordinal);
        }
        throw new ArgumentException($"device '{name}' is not one of auto, cpu, cuda:N");
    }
}
