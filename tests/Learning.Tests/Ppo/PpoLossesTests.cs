using Alrs.Learning.Ppo;
using Alrs.Torch;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Ppo;

public class PpoLossesTests
{
    public PpoLossesTests() => TorchRuntime.EnsureLoadable();

    [Fact]
    public void Clipped_surrogate_takes_the_pessimistic_term_per_sample()
    {
        using var scope = NewDisposeScope();
        // ε = 0.2. Per sample max(−A·ρ, −A·clip(ρ)):
        // ρ 0.5, A  1: max(−0.5, −0.8) = −0.5  (a worse action made less likely: not clipped)
        // ρ 1.5, A  1: max(−1.5, −1.2) = −1.2  (gain beyond 1+ε is cut)
        // ρ 1.1, A −2: max( 2.2,  2.2) =  2.2  (inside the band)
        // ρ 0.5, A −1: max( 0.5,  0.8) =  0.8  (pessimistic: the clipped term is worse)
        var loss = PpoLosses.ClippedSurrogate(tensor(new[] { 0.5f, 1.5f, 1.1f, 0.5f }), tensor(new[] { 1f, 1f, -2f, -1f }), 0.2);

        Assert.Equal((-0.5 - 1.2 + 2.2 + 0.8) / 4, loss.item<float>(), 1e-6);
    }

    [Fact]
    public void Entropy_of_a_uniform_categorical_over_three_actions_is_ln_3()
    {
        using var scope = NewDisposeScope();
        var entropy = PpoLosses.CategoricalEntropy(tensor(new[] { 0f, 0f, 0f, 5f, 5f, 5f }, [2, 3]));

        Assert.Equal(Math.Log(3), entropy[0].item<float>(), 1e-6);
        Assert.Equal(Math.Log(3), entropy[1].item<float>(), 1e-6);
    }

    [Fact]
    public void Categorical_log_prob_picks_the_chosen_index()
    {
        using var scope = NewDisposeScope();
        var logProb = PpoLosses.CategoricalLogProb(tensor(new[] { 0f, (float)Math.Log(3) }, [1, 2]), tensor(new[] { 1L }));

        Assert.Equal(Math.Log(0.75), logProb.item<float>(), 1e-6);
    }

    [Fact]
    public void Value_loss_clipping_keeps_the_larger_error_of_the_clipped_value()
    {
        using var scope = NewDisposeScope();
        var (newValue, oldValue, target) = (tensor(new[] { 2f }), tensor(new[] { 1f }), tensor(new[] { 3f }));

        // Unclipped: ½(2 − 3)² = 0.5. Clipped to 1 ± 0.2 = 1.2: ½(1.2 − 3)² = 1.62.
        Assert.Equal(0.5, PpoLosses.ValueLoss(newValue, oldValue, target, null).item<float>(), 1e-6);
        Assert.Equal(1.62, PpoLosses.ValueLoss(newValue, oldValue, target, 0.2).item<float>(), 1e-5);
    }

    [Fact]
    public void Approximate_kl_is_zero_for_an_unchanged_policy_and_positive_otherwise()
    {
        using var scope = NewDisposeScope();

        Assert.Equal(0, PpoLosses.ApproxKl(zeros(4)).item<float>(), 1e-9);
        // (e^0.1 − 1) − 0.1 and (e^−0.1 − 1) + 0.1, averaged.
        var expected = (Math.Exp(0.1) - 1 - 0.1 + Math.Exp(-0.1) - 1 + 0.1) / 2;
        Assert.Equal(expected, PpoLosses.ApproxKl(tensor(new[] { 0.1f, -0.1f })).item<float>(), 1e-6);
    }

    [Fact]
    public void Clip_fraction_counts_ratios_outside_the_band()
    {
        using var scope = NewDisposeScope();

        Assert.Equal(0.5, PpoLosses.ClipFraction(tensor(new[] { 1f, 1.1f, 1.3f, 0.7f }), 0.2).item<float>(), 1e-6);
    }

    [Fact]
    public void Gaussian_log_prob_and_entropy_match_the_closed_forms()
    {
        using var scope = NewDisposeScope();
        var logStd = tensor(new[] { (float)Math.Log(2) });

        var logProb = PpoLosses.GaussianLogProb(tensor(new[] { 1f }), tensor(new[] { 0f }), logStd).item<float>();

        Assert.Equal(-0.5 * 0.25 - Math.Log(2) - 0.5 * Math.Log(2 * Math.PI), logProb, 1e-6);
        Assert.Equal(0.5 * Math.Log(2 * Math.PI * Math.E * 4), PpoLosses.GaussianEntropy(logStd).item<float>(), 1e-6);
        Assert.Equal(logProb, PolicySampling.GaussianLogDensity(1, 0, 2), 1e-6);
    }

    [Fact]
    public void Explained_variance_is_one_for_a_perfect_critic_and_zero_for_a_constant_one()
    {
        float[] returns = [1f, 2f, 3f, 4f];

        Assert.Equal(1, PpoLosses.ExplainedVariance(returns, returns), 1e-9);
        Assert.Equal(0, PpoLosses.ExplainedVariance([2.5f, 2.5f, 2.5f, 2.5f], returns), 1e-9);
    }

    [Fact]
    public void Categorical_sampling_by_inverse_cdf_follows_the_probabilities()
    {
        var random = new Random(5);
        float[] logits = [0f, (float)Math.Log(2), (float)Math.Log(7)]; // 0.1, 0.2, 0.7
        var counts = new int[3];
        for (var i = 0; i < 20_000; i++) counts[PolicySampling.Categorical(logits, false, random).Index]++;

        Assert.Equal(0.1, counts[0] / 20_000.0, 0.01);
        Assert.Equal(0.2, counts[1] / 20_000.0, 0.01);
        Assert.Equal(0.7, counts[2] / 20_000.0, 0.01);
        var (argmax, logProb) = PolicySampling.Categorical(logits, deterministic: true, random);
        Assert.Equal(2, argmax);
        Assert.Equal(Math.Log(0.7), logProb, 1e-6);
    }
}
