namespace Alrs.Learning.Data;

/// <summary>
/// Holds a validation set out of the official training set, chosen deterministically from a
/// seed: a Fisher–Yates shuffle of the indices with System.Random(seed), whose first
/// <c>validationSize</c> entries are the validation samples. Both parts keep the official
/// order, so the split depends on the seed only through which samples it picks.
/// </summary>
public sealed record ValidationSplit(int[] Train, int[] Validation)
{
    public static ValidationSplit Choose(int count, int validationSize, int seed)
    {
        if (validationSize < 0) throw new InputException($"validation size must not be negative, got {validationSize}");
        if (validationSize >= count)
            throw new InputException($"validation size {validationSize} must be smaller than the {count} official training samples");

        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var isValidation = new bool[count];
        foreach (var index in order.AsSpan(0, validationSize)) isValidation[index] = true;
        var validation = new int[validationSize];
        var train = new int[count - validationSize];
        int v = 0, t = 0;
        for (var index = 0; index < count; index++)
        {
            if (isValidation[index]) validation[v++] = index;
            else train[t++] = index;
        }
        return new ValidationSplit(train, validation);
    }
}
