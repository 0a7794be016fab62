namespace Alrs.Learning.Ppo;

/// <summary>
/// Sampling from the policy's distribution parameters with a caller's <see cref="Random"/>,
/// so acting is reproducible from that Random alone (torch's generators are not involved).
/// </summary>
public static class PolicySampling
{
    /// <summary>An index drawn by inverse CDF (or the argmax when deterministic) and its log-probability.</summary>
    public static (int Index, double LogProb) Categorical(IReadOnlyList<float> logits, bool deterministic, Random random)
    {
        var max = logits.Max();
        var logSumExp = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        var index = 0;
        if (deterministic)
        {
            for (var i = 1; i < logits.Count; i++) if (logits[i] > logits[index]) index = i;
        }
        else
        {
            var u = random.NextDouble();
            double cumulative = 0;
            index = logits.Count - 1; // rounding may leave the sum a hair below u
            for (var i = 0; i < logits.Count; i++)
            {
                cumulative += Math.Exp(logits[i] - logSumExp);
                if (u < cumulative) { index = i; break; }
            }
        }
        return (index, logits[index] - logSumExp);
    }

    /// <summary>A standard normal draw by the Box–Muller transform.</summary>
    public static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // in (0, 1]: the log is finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>log N(x; mean, std).</summary>
    public static double GaussianLogDensity(double x, double mean, double std)
    {
        var z = (x - mean) / std;
        return -0.5 * z * z - Math.Log(std) - 0.5 * Math.Log(2 * Math.PI);
    }
}
