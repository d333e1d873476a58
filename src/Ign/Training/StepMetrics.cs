using System.Text.Json.Serialization;
using Ign.Objective;

namespace Ign.Training;

/// <summary>One line of metrics.jsonl: the step's <see cref="LossValues"/> (written flat, one field a term, as
/// <see cref="StepMetricsJson"/> does), throughput and resident memory.</summary>
[JsonConverter(typeof(StepMetricsJson))]
public sealed record StepMetrics
{
    public long Step { get; init; }
    public long Epoch { get; init; }
    public LossValues Losses { get; init; } = LossValues.Zero;
    public float Total { get => Losses.Total; init => Losses = Losses with { Total = value }; }
    public double ImagesPerSecond { get; init; }
    public double ElapsedSeconds { get; init; }
    public double RssMiB { get; init; }
}

/// <summary>What the trainer reports to whoever shows progress.</summary>
public abstract record TrainingEvent;
public sealed record StepCompleted(StepMetrics Metrics, long TotalSteps) : TrainingEvent;
/// <param name="Spread">the samples' f(z) spread over the data's (<see cref="SampleSpread"/>; below
/// <see cref="SampleSpread.CollapseBelow"/> the run may be collapsing)</param>
/// <param name="Colour">their colour over the data's (null for grey data)</param>
/// <param name="Collapse">why the run looks collapsed (<see cref="CollapseWatch"/>), or null</param>
public sealed record SamplesWritten(long Step, string Path, double Spread = 1, double? Colour = null,
    string? Collapse = null) : TrainingEvent
{
    public bool Collapsing => Collapse is not null;
}
/// <summary>One line of samples.jsonl: the fixed noise's samples f(z) at a step, their spread and colour over the
/// data's (<see cref="SamplesWritten"/>), the curves a collapse shows in (<see cref="RunCurves"/>).</summary>
public sealed record SampleCheck(long Step, double Spread, double? Colour);
public sealed record CheckpointWritten(long Step, string Path) : TrainingEvent;

/// <summary>A loss (or, with <paramref name="what"/>, a gradient) that is NaN or infinite: training stops before the
/// optimizer step, so no weight is touched.</summary>
public sealed class NonFiniteLossException(long step, LossValues losses, string what = "loss is not finite")
    : Exception($"step {step}: {what} ({losses}); stopped before the update, the last checkpoint is intact")
{
    public long Step { get; } = step;
}
