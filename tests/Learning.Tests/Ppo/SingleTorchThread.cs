using Alrs.Torch;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Ppo;

/// <summary>
/// Runs torch on one intra-op thread until disposed, then restores the previous count.
/// PPO's networks are tiny, yet a 100-row linear layer enters MKL/OpenMP's threaded gemm,
/// whose barriers cost milliseconds each on a loaded 2-core machine (measured: 35 ms per
/// linear with 2 threads under load 12, microseconds with 1). The count is process-wide:
/// tests running beside these only get slower or faster, never different results.
/// </summary>
sealed class SingleTorchThread : IDisposable
{
    readonly int _previous;

    public SingleTorchThread()
    {
        TorchRuntime.EnsureLoadable();
        _previous = get_num_threads();
        set_num_threads(1);
    }

    public void Dispose() => set_num_threads(_previous);
}
