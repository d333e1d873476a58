namespace Ign.Training;

/// <summary>One line of metrics.jsonl: the unweighted loss terms, the weighted total, throughput and resident memory
/// (MeanMatch: the optional λ_m term, 0 while it is off).</summary>
public sealed record StepMetrics(long Step, long Epoch, float Total, float Reconstruction, float Idempotence, float Tightness, double ImagesPerSecond, double ElapsedSeconds, double RssMiB = 0, float MeanMatch = 0);

/// <summary>What the trainer reports to whoever shows progress.</summary>
public abstract record TrainingEvent;
public sealed record StepCompleted(StepMetrics Metrics, long TotalSteps) : TrainingEvent;
public sealed record SamplesWritten(long Step, string Path) : TrainingEvent;
public sealed record CheckpointWritten(long Step, string Path) : TrainingEvent;

/// <summary>A loss (or, with <paramref name="what"/>, a gradient) that is NaN or infinite: training stops before the
/// optimizer step, so no weight is touched.</summary>
public sealed class NonFiniteLossException(long step, StepMetrics metrics, string what = "loss is not finite")
    : Exception($"step {step}: {what} (total {metrics.Total}, rec {metrics.Reconstruction}, idem {metrics.Idempotence}, " +
                $"tight {metrics.Tightness}); stopped before the update, the last checkpoint is intact")
{
    public long Step { get; } = step;
}
