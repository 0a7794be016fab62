using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Alrs.Learning.Ppo;

/// <summary>
/// A ReLU multilayer perceptron held as explicit weight and bias tensors, so their order
/// (layer by layer, weight then bias) is fixed for the optimizer and the policy blob.
/// </summary>
internal sealed class PolicyMlp : IDisposable
{
    readonly Parameter[] _parameters;

    /// <summary>Orthogonal weights (gain √2 on hidden layers, <paramref name="outputGain"/> on the last), zero biases.</summary>
    public PolicyMlp(int inputs, IReadOnlyList<int> hidden, int outputs, double outputGain, Generator generator)
    {
        var sizes = new[] { inputs }.Concat(hidden).Append(outputs).ToArray();
        _parameters = new Parameter[2 * (sizes.Length - 1)];
        for (var layer = 0; layer < sizes.Length - 1; layer++)
        {
            var gain = layer == sizes.Length - 2 ? outputGain : Math.Sqrt(2);
            _parameters[2 * layer] = new Parameter(Orthogonal(sizes[layer + 1], sizes[layer], gain, generator));
            _parameters[2 * layer + 1] = new Parameter(zeros(sizes[layer + 1]));
        }
    }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>x [N, inputs] → [N, outputs].</summary>
    public Tensor Forward(Tensor x)
    {
        var h = x;
        for (var layer = 0; layer < _parameters.Length / 2; layer++)
        {
            h = nn.functional.linear(h, _parameters[2 * layer], _parameters[2 * layer + 1]);
            if (layer < _parameters.Length / 2 - 1) h = nn.functional.relu(h);
        }
        return h;
    }

    /// <summary>A (rows × cols) matrix with orthonormal rows or columns, times gain (Saxe et al.), drawn from the generator.</summary>
    static Tensor Orthogonal(int rows, int cols, double gain, Generator generator)
    {
        using var scope = NewDisposeScope();
        var tall = rows < cols ? randn([cols, rows], generator: generator) : randn([rows, cols], generator: generator);
        var (q, r) = linalg.qr(tall);
        q = q * r.diagonal().sign().unsqueeze(0);
        var result = (rows < cols ? q.t() : q) * gain;
        return result.contiguous().detach().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        foreach (var p in _parameters) p.Dispose();
    }
}
