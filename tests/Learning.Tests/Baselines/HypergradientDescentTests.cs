using Alrs.Learning.Baselines;
using Alrs.Torch;
using static TorchSharp.torch;

namespace Alrs.Learning.Tests.Baselines;

/// <summary>Hypergradient descent's rate update against hand-computed steps on f(θ) = θ²/2 (so ∇f = θ).</summary>
public class HypergradientDescentTests
{
    public HypergradientDescentTests() => TorchRuntime.EnsureLoadable();

    /// <summary>Runs <paramref name="steps"/> steps of <paramref name="optimizer"/> on θ²/2 from θ = 1, the rate from the rule; returns each step's rate and θ after it.</summary>
    static (double[] Rates, double[] Thetas) Run(Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer> optimizer, HypergradientDescent rule, int steps)
    {
        using var theta = new TorchSharp.Modules.Parameter(tensor(new[] { 1.0f }));
        using var opt = optimizer([theta]);
        var (rates, thetas) = (new double[steps], new double[steps]);
        for (var t = 0; t < steps; t++)
        {
            opt.zero_grad();
            using var loss = (theta * theta).sum() / 2;
            loss.backward();
            rates[t] = rule.Next([theta]);
            foreach (var group in opt.ParamGroups) group.LearningRate = rates[t];
            opt.step();
            thetas[t] = theta.item<float>();
        }
        return (rates, thetas);
    }

    [Fact]
    public void Sgd_rate_moves_by_beta_times_the_product_of_successive_gradients()
    {
        // α0 = 0.1, β = 0.01. Step 0: g = 1, no previous update: α stays 0.1, θ = 0.9.
        // Step 1: g = 0.9, u0 = 1: α = 0.1 + 0.01·0.9·1 = 0.109, θ = 0.9 − 0.109·0.9 = 0.8019.
        // Step 2: g = 0.8019, u1 = 0.9: α = 0.109 + 0.01·0.8019·0.9 = 0.11621710.
        using var rule = new HypergradientDescent(0.1, 0.01, 1e-5, 1);
        var (rates, thetas) = Run(p => optim.SGD(p, 0.1), rule, 3);
        Assert.Equal(0.1, rates[0], 12);
        Assert.Equal(0.109, rates[1], 6);
        Assert.Equal(0.1162171, rates[2], 6);
        Assert.Equal(0.8019, thetas[1], 6);
    }

    [Fact]
    public void Adam_rate_follows_the_previous_adam_direction()
    {
        // Adam's first direction is m̂/(√v̂ + ε) = 1/(1 + 1e-8) ≈ 1: θ1 = 1 − 0.01 = 0.99.
        // Step 1: g = 0.99: α1 = 0.01 + 0.001·0.99·1 = 0.01099.
        using var rule = new HypergradientDescent(0.01, 0.001, 1e-5, 1);
        var (rates, thetas) = Run(p => optim.Adam(p, 0.01), rule, 2);
        Assert.Equal(0.01, rates[0], 12);
        Assert.Equal(0.99, thetas[0], 6);
        Assert.Equal(0.01099, rates[1], 6);
    }

    [Fact]
    public void Momentum_rate_follows_the_velocity()
    {
        // SGD with momentum 0.5, α0 = 0.1, β = 0.01. Step 0: v = g = 1, θ = 0.9.
        // Step 1: g = 0.9, u0 = v0 = 1: α = 0.109; v = 0.5 + 0.9 = 1.4, θ = 0.9 − 0.109·1.4 = 0.7474.
        // Step 2: g = 0.7474, u1 = 1.4: α = 0.109 + 0.01·0.7474·1.4 = 0.1194636.
        using var rule = new HypergradientDescent(0.1, 0.01, 1e-5, 1);
        var (rates, thetas) = Run(p => optim.SGD(p, 0.1, momentum: 0.5), rule, 3);
        Assert.Equal(0.109, rates[1], 6);
        Assert.Equal(0.7474, thetas[1], 6);
        Assert.Equal(0.1194636, rates[2], 6);
    }

    [Fact]
    public void Update_stays_within_the_rate_bounds_and_ignores_a_non_finite_product()
    {
        Assert.Equal(0.5, HypergradientDescent.Updated(0.1, 1, 10, 1e-5, 0.5));
        Assert.Equal(1e-5, HypergradientDescent.Updated(0.1, 1, -10, 1e-5, 0.5));
        Assert.Equal(0.1, HypergradientDescent.Updated(0.1, 1, double.NaN, 1e-5, 0.5));
        Assert.Equal(0.1 + 1e-7 * 3, HypergradientDescent.Updated(0.1, 1e-7, 3, 1e-5, 0.5), 15);
    }
}
