namespace Ign.Evaluation;

/// <summary>Sample quality of f^k(z) for one k.</summary>
public sealed record SampleMetrics(
    int K,
    double Frechet,              // Fréchet distance to the test set's classifier features
    double Precision,            // fraction of samples inside the test manifold
    double Recall,               // fraction of test images inside the samples' manifold
    double EntropyBits,          // entropy of the predicted-class histogram (uniform: 3.32)
    double MaxClassDeviation,    // max |p_c − 0.1| / 0.1
    long[] ClassCounts,
    double IdempotenceError);    // mean |f^(k+1)(z) − f^k(z)| per pixel

/// <summary>Classifier accuracy on corrupted test digits before and after projection by f^k.</summary>
public sealed record ProjectionMetrics(string Corruption, double AccuracyCorrupted, int[] Ks, double[] AccuracyProjected);

/// <summary>Everything measured with one BatchNorm mode.</summary>
public sealed record ModeReport(string Norm, List<SampleMetrics> Samples, double ReconstructionError, List<ProjectionMetrics> Projections);

/// <summary>A reference point: a set of real or noise images scored like the samples.</summary>
public sealed record ReferenceMetrics(string Name, double Frechet, double Precision, double Recall);

public sealed record EvaluationReport
{
    public required string Checkpoint { get; init; }
    public required long ModelStep { get; init; }
    public required string Preset { get; init; }
    public required int SampleCount { get; init; }
    public required int ProjectionCount { get; init; }
    public required int Seed { get; init; }
    public required int NearestNeighbours { get; init; }
    public required string Classifier { get; init; }
    public required double ClassifierTestAccuracy { get; init; }
    public required ReferenceMetrics Floor { get; init; }      // training images vs test: the best a model can hope for
    public required ReferenceMetrics Ceiling { get; init; }    // prior noise vs test: what no learning gives
    public required List<ModeReport> Modes { get; init; }
    public required double Seconds { get; init; }
    public string RunningStatistics { get; init; } = "as trained"; // "as trained" (BatchNorm's running averages) or "per input" (recalibrated sets)
    public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("O");
}
