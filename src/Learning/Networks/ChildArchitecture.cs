namespace Alrs.Learning.Networks;

/// <summary>
/// A child network's architecture: a built-in one by name (<see cref="Layers"/> null), or one
/// described in HOCON under <c>alrs.networks.NAME</c> as a list of layers, to which the output
/// layer (one unit per class) is appended.
/// </summary>
public sealed record ChildArchitecture(string Name, IReadOnlyList<NetworkLayer>? Layers = null)
{
    public bool IsBuiltIn => Layers is null;

    /// <summary>A built-in architecture (mlp, lenet5, resnet18); throws for another name.</summary>
    public static ChildArchitecture BuiltIn(string name) =>
        ChildNetworks.Architectures.Contains(name)
            ? new ChildArchitecture(name)
            : throw new InputException($"unknown architecture '{name}' (known: {string.Join(", ", ChildNetworks.Architectures)})");

    /// <summary>The name and, for a described network, its layers: what a policy records and a log shows.</summary>
    public string Description => Layers is null ? Name : $"{Name} [{string.Join(", ", Layers)}]";

    public bool Equals(ChildArchitecture? other) => other is not null && Description == other.Description;

    public override int GetHashCode() => Description.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Name;
}
