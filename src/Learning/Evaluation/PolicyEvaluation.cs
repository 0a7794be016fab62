using Alrs.Learning.Environments;

namespace Alrs.Learning.Evaluation;

/// <summary>One decision of a policy run: the action taken and what followed, as written to the CSV traces.</summary>
public sealed record PolicyDecisionTrace(
    int Step, float Action, double LearningRate, double TrainLoss, double ValidationLoss, double ValidationAccuracy, double Reward);

/// <summary>
/// One deterministic policy episode on one seed. <see cref="FinalValidation"/> is measured on
/// the whole validation split after the last step, <see cref="Test"/> on the test split.
/// </summary>
public sealed record PolicyRun(
    int Seed, ChildEvaluation FinalValidation, ChildEvaluation Test, bool Diverged, double Return,
    IReadOnlyList<PolicyDecisionTrace> Trace, TimeSpan Elapsed);

/// <summary>A policy's runs over all seeds, with means and (population) standard deviations.</summary>
public sealed record PolicyEvaluation(IReadOnlyList<PolicyRun> Runs)
{
    public double MeanValidationLoss => Mean(r => r.FinalValidation.Loss);
    public double MeanTestLoss => Mean(r => r.Test.Loss);
    public double StdTestLoss => Std(r => r.Test.Loss);
    public double MeanTestAccuracy => Mean(r => r.Test.Accuracy);
    public double StdTestAccuracy => Std(r => r.Test.Accuracy);
    public double MeanReturn => Mean(r => r.Return);

    double Mean(Func<PolicyRun, double> value) => Runs.Average(value);

    double Std(Func<PolicyRun, double> value)
    {
        var mean = Mean(value);
        return Math.Sqrt(Runs.Average(r => (value(r) - mean) * (value(r) - mean)));
    }
}
