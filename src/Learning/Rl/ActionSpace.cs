namespace Alrs.Learning.Rl;

/// <summary>
/// The controller's action space. Discrete: <see cref="Size"/> choices, an action is
/// one float holding the index. Continuous: one real value in [<see cref="Low"/>, <see cref="High"/>].
/// </summary>
public sealed record ActionSpace(bool IsDiscrete, int Size, float Low, float High)
{
    public static ActionSpace Discrete(int choices) => new(true, choices, 0, choices - 1);
    public static ActionSpace Continuous(float low, float high) => new(false, 1, low, high);

    /// <summary>Floats per action as stored in a transition: 1 in both cases.</summary>
    public int Dimensions => 1;
}
