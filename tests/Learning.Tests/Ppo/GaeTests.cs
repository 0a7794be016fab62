using Alrs.Learning.Ppo;

namespace Alrs.Learning.Tests.Ppo;

public class GaeTests
{
    [Fact]
    public void Gae_matches_a_hand_computed_example_with_a_done_in_the_middle_and_a_bootstrap()
    {
        // γ = 0.9, λ = 0.8, so γλ = 0.72. Backwards:
        // t3: δ = 4 + 0.9·3 (bootstrap) − 2 = 4.7;            A = 4.7
        // t2: δ = 3 + 0.9·2 − 1.5 = 3.3;                      A = 3.3 + 0.72·4.7 = 6.684
        // t1: done, δ = 2 − 1 = 1;                            A = 1 (nothing flows back across the done)
        // t0: δ = 1 + 0.9·1 − 0.5 = 1.4;                      A = 1.4 + 0.72·1 = 2.12
        var (advantages, returns) = Gae.Compute(
            [1f, 2f, 3f, 4f], [0.5f, 1f, 1.5f, 2f], [false, true, false, false], bootstrapValue: 3f, gamma: 0.9, lambda: 0.8);

        AssertClose([2.12f, 1f, 6.684f, 4.7f], advantages);
        AssertClose([2.62f, 2f, 8.184f, 6.7f], returns);
    }

    [Fact]
    public void Gae_with_lambda_one_and_gamma_one_is_reward_to_go_minus_value()
    {
        var (advantages, returns) = Gae.Compute(
            [1f, 1f, 1f], [0.2f, 0.4f, 0.6f], [false, false, true], bootstrapValue: 99f, gamma: 1, lambda: 1);

        AssertClose([3f - 0.2f, 2f - 0.4f, 1f - 0.6f], advantages);
        AssertClose([3f, 2f, 1f], returns); // the bootstrap is ignored after a done
    }

    [Fact]
    public void Gae_with_lambda_zero_is_the_one_step_td_error()
    {
        var (advantages, _) = Gae.Compute([1f, 2f], [0.5f, 0.25f], [false, false], bootstrapValue: 1f, gamma: 0.9, lambda: 0);

        AssertClose([1f + 0.9f * 0.25f - 0.5f, 2f + 0.9f * 1f - 0.25f], advantages);
    }

    [Fact]
    public void Reversed_loop_equals_the_plain_sum_of_discounted_td_errors()
    {
        var random = new Random(3);
        const int n = 12;
        const double gamma = 0.97, lambda = 0.9;
        var rewards = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var values = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        const float bootstrap = 0.7f;

        var (advantages, _) = Gae.Compute(rewards, values, new bool[n], bootstrap, gamma, lambda);

        for (var t = 0; t < n; t++)
        {
            double expected = 0;
            for (var k = t; k < n; k++)
            {
                var next = k == n - 1 ? bootstrap : values[k + 1];
                expected += Math.Pow(gamma * lambda, k - t) * (rewards[k] + gamma * next - values[k]);
            }
            Assert.Equal(expected, advantages[t], 1e-5);
        }
    }

    [Fact]
    public void Forward_discounted_returns_accumulate_and_restart_after_a_done()
    {
        var returns = Gae.ForwardDiscountedReturns([1f, 2f, 3f, 4f], [false, true, false, false], gamma: 0.5);

        Assert.Equal([1.0, 2.5, 3.0, 5.5], returns);
    }

    static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }
}
