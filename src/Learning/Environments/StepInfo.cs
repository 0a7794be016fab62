namespace Alrs.Learning.Environments;

/// <summary>Keys of <see cref="Rl.StepResult.Info"/> as the learning-rate environment fills it.</summary>
public static class StepInfo
{
    /// <summary>The learning rate used during the interval just run.</summary>
    public const string LearningRate = "lr";
    /// <summary>Mean training loss over the interval.</summary>
    public const string TrainLoss = "train_loss";
    /// <summary>Validation loss measured after the interval.</summary>
    public const string ValidationLoss = "val_loss";
    /// <summary>Validation accuracy in [0, 1] measured after the interval.</summary>
    public const string ValidationAccuracy = "val_accuracy";
    /// <summary>Child steps taken so far in the episode.</summary>
    public const string Step = "step";
    /// <summary>1 when a non-finite loss ended the episode, else 0.</summary>
    public const string Diverged = "diverged";
}
