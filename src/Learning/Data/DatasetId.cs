namespace Alrs.Learning.Data;

/// <summary>The datasets alrs trains child networks on.</summary>
public enum DatasetId
{
    Mnist,
    FashionMnist,
    Cifar10,
}
