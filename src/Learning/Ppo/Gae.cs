namespace Alrs.Learning.Ppo;

/// <summary>Advantage and return arithmetic on one trajectory, kept pure for tests.</summary>
public static class Gae
{
    /// <summary>
    /// Generalised advantage estimation in one reversed loop (Schulman et al. 2016).
    /// A transition marked done has no successor value; the last transition, when not done,
    /// is followed by <paramref name="bootstrapValue"/>. Returns = advantages + values.
    /// </summary>
    public static (float[] Advantages, float[] Returns) Compute(
        IReadOnlyList<float> rewards, IReadOnlyList<float> values, IReadOnlyList<bool> dones,
        float bootstrapValue, double gamma, double lambda)
    {
        var n = rewards.Count;
        if (values.Count != n || dones.Count != n)
            throw new ArgumentException($"rewards ({n}), values ({values.Count}) and dones ({dones.Count}) differ in length");
        var advantages = new float[n];
        var returns = new float[n];
        double next = 0;
        for (var t = n - 1; t >= 0; t--)
        {
            double nextValue = t == n - 1 ? bootstrapValue : values[t + 1];
            double notDone = dones[t] ? 0 : 1;
            var delta = rewards[t] + gamma * nextValue * notDone - values[t];
            next = delta + gamma * lambda * notDone * next;
            advantages[t] = (float)next;
            returns[t] = (float)(next + values[t]);
        }
        return (advantages, returns);
    }

    /// <summary>
    /// The running discounted return R_t = γ·R_{t−1} + r_t that VecNormalize tracks to scale
    /// rewards, restarting after a done. <paramref name="before"/> is R just before the first
    /// reward: the part of the episode that came before this trajectory.
    /// </summary>
    public static double[] ForwardDiscountedReturns(IReadOnlyList<float> rewards, IReadOnlyList<bool> dones, double gamma, double before = 0)
    {
        var result = new double[rewards.Count];
        var running = before;
        for (var t = 0; t < rewards.Count; t++)
        {
            running = running * gamma + rewards[t];
            result[t] = running;
            if (dones[t]) running = 0;
        }
        return result;
    }
}
