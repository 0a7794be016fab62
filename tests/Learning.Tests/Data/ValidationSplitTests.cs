using Alrs.Learning.Data;

namespace Alrs.Learning.Tests.Data;

public class ValidationSplitTests
{
    [Fact]
    public void Same_seed_gives_the_same_split()
    {
        var first = ValidationSplit.Choose(1000, 100, seed: 7);
        var second = ValidationSplit.Choose(1000, 100, seed: 7);

        Assert.Equal(first.Validation, second.Validation);
        Assert.Equal(first.Train, second.Train);
    }

    [Fact]
    public void Different_seeds_give_different_validation_sets()
    {
        var first = ValidationSplit.Choose(1000, 100, seed: 0);
        var second = ValidationSplit.Choose(1000, 100, seed: 1);

        Assert.NotEqual(first.Validation, second.Validation);
    }

    [Fact]
    public void Train_and_validation_are_disjoint_cover_everything_and_keep_the_official_order()
    {
        var split = ValidationSplit.Choose(1000, 100, seed: 3);

        Assert.Equal(900, split.Train.Length);
        Assert.Equal(100, split.Validation.Length);
        Assert.Empty(split.Train.Intersect(split.Validation));
        Assert.Equal(Enumerable.Range(0, 1000), split.Train.Concat(split.Validation).Order());
        Assert.Equal(split.Train.Order(), split.Train);
        Assert.Equal(split.Validation.Order(), split.Validation);
    }

    [Fact]
    public void Validation_is_the_head_of_a_seeded_fisher_yates_shuffle()
    {
        var order = Enumerable.Range(0, 50).ToArray();
        var random = new Random(11);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var split = ValidationSplit.Choose(50, 8, seed: 11);

        Assert.Equal(order[..8].Order(), split.Validation);
    }

    [Fact]
    public void Validation_size_not_smaller_than_the_training_set_is_rejected()
    {
        var e = Assert.Throws<InputException>(() => ValidationSplit.Choose(5085, 5085, seed: 0));

        Assert.Equal("validation size 5085 must be smaller than the 5085 official training samples", e.Message);
    }
}
