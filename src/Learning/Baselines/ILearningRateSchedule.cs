namespace Alrs.Learning.Baselines;

/// <summary>A hand-designed learning-rate schedule: a pure function of the child step.</summary>
public interface ILearningRateSchedule
{
    /// <summary>Family name: constant, step-decay or cosine.</summary>
    string Family { get; }
    /// <summary>Family and parameters, unique within a grid (e.g. <c>step-decay(lr=0.01,every=20,factor=0.9)</c>).</summary>
    string Name { get; }
    /// <summary>The rate for child step <paramref name="step"/> (0-based).</summary>
    double At(int step);
}
