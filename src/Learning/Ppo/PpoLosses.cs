using TorchSharp;
using static TorchSharp.torch;

namespace Alrs.Learning.Ppo;

/// <summary>PPO's loss terms and the policy distributions' densities, as pure tensor functions.</summary>
public static class PpoLosses
{
    /// <summary>The clipped surrogate objective, negated to a loss: mean(max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε))).</summary>
    public static Tensor ClippedSurrogate(Tensor ratio, Tensor advantages, double clip)
    {
        var unclipped = -advantages * ratio;
        var clipped = -advantages * ratio.clamp(1 - clip, 1 + clip);
        return maximum(unclipped, clipped).mean();
    }

    /// <summary>
    /// ½·mean of the squared value error; with <paramref name="clip"/>, the pessimistic
    /// maximum of it and the error of the value kept within ±clip of the acting critic's.
    /// </summary>
    public static Tensor ValueLoss(Tensor newValues, Tensor oldValues, Tensor returns, double? clip)
    {
        var unclipped = (newValues - returns).square();
        if (clip is not { } c) return 0.5 * unclipped.mean();
        var kept = oldValues + (newValues - oldValues).clamp(-c, c);
        return 0.5 * maximum(unclipped, (kept - returns).square()).mean();
    }

    /// <summary>Approximate KL(old‖new) from log ratios: mean((ρ − 1) − log ρ), always ≥ 0.</summary>
    public static Tensor ApproxKl(Tensor logRatio) => (logRatio.exp() - 1 - logRatio).mean();

    /// <summary>Fraction of samples whose ratio left [1−ε, 1+ε].</summary>
    public static Tensor ClipFraction(Tensor ratio, double clip) =>
        (ratio - 1).abs().gt(clip).to_type(ScalarType.Float32).mean();

    /// <summary>Log-probabilities of chosen indices under categorical logits [N, K].</summary>
    public static Tensor CategoricalLogProb(Tensor logits, Tensor indices) =>
        nn.functional.log_softmax(logits, 1).gather(1, indices.unsqueeze(1)).squeeze(1);

    /// <summary>Per-row entropy of categorical logits [N, K].</summary>
    public static Tensor CategoricalEntropy(Tensor logits)
    {
        var logP = nn.functional.log_softmax(logits, 1);
        return -(logP.exp() * logP).sum(1);
    }

    /// <summary>log N(x; μ, σ) element-wise.</summary>
    public static Tensor GaussianLogProb(Tensor x, Tensor mean, Tensor logStd) =>
        -0.5 * ((x - mean) / logStd.exp()).square() - logStd - 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Entropy of N(μ, σ): ½·log(2πe) + log σ.</summary>
    public static Tensor GaussianEntropy(Tensor logStd) => logStd + 0.5 * Math.Log(2 * Math.PI * Math.E);

    /// <summary>1 − Var(returns − values) / Var(returns): 1 = perfect critic, ≤ 0 = no better than a constant.</summary>
    public static double ExplainedVariance(IReadOnlyList<float> values, IReadOnlyList<float> returns)
    {
        var n = returns.Count;
        if (n == 0) return double.NaN;
        double Var(Func<int, double> f)
        {
            var mean = Enumerable.Range(0, n).Average(f);
            return Enumerable.Range(0, n).Sum(i => (f(i) - mean) * (f(i) - mean)) / n;
        }
        var varReturns = Var(i => returns[i]);
        return varReturns == 0 ? double.NaN : 1 - Var(i => returns[i] - values[i]) / varReturns;
    }
}
