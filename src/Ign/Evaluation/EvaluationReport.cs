namespace Ign.Evaluation;

/// <summary>Sample quality of f^k(z) for one k.</summary>
public sealed record SampleMetrics(
    int K,
    double Frechet,              // Fréchet distance to the test set's classifier features
    double Precision,            // fraction of samples inside the test manifold
    double Recall,               // fraction of test images inside the samples' manifold
    double? EntropyBits,         // entropy of the predicted-class histogram (uniform: 3.32); null without a classifier
    double? MaxClassDeviation,   // max |p_c − 0.1| / 0.1; null without a classifier
    long[]? ClassCounts,         // null without a classifier
    double IdempotenceError,     // mean |f^(k+1)(z) − f^k(z)| per pixel
    double? Sharpness = null,    // high-frequency share of power over the test images' (Sharpness; 1: as sharp)
    CategoryCoverage? Coverage = null); // each category's share of the samples against the data's (emoji)

/// <summary>
/// Make It Real for one corruption c: classifier accuracy on c(x) and f^k(c(x)) (null without a classifier or labels),
/// and the restoration error mean |c(x) − x| and |f^k(c(x)) − x| per pixel; for colour images also the chroma error
/// (<see cref="Chroma"/>), which blur does not lower.
/// </summary>
/// <param name="Lost">digits the classifier reads right at the first k and wrong at the last (what further
/// applications of f cost), with a classifier and more than one k</param>
/// <param name="Gained">digits read wrong at the first k and right at the last</param>
public sealed record ProjectionMetrics(string Corruption, double? AccuracyCorrupted, int[] Ks,
    double[]? AccuracyProjected, double? ErrorCorrupted = null, double[]? ErrorProjected = null,
    double? ChromaErrorCorrupted = null, double[]? ChromaErrorProjected = null, int? Lost = null, int? Gained = null)
{
    /// <summary>
    /// A later application of f made this row worse than the first did: accuracy lower by more than half a point, or
    /// (without a classifier) the restoration error higher by more than 2 %. A projector should not get worse by
    /// being applied again.
    /// </summary>
    public bool WorseAtLaterK =>
        AccuracyProjected is { Length: > 1 } accuracy ? accuracy.Skip(1).Any(a => a < accuracy[0] - 0.005)
        : ErrorProjected is { Length: > 1 } error && error.Skip(1).Any(e => e > error[0] * 1.02);
}

/// <summary>Everything measured with one BatchNorm mode.</summary>
/// <remarks>For a class-conditional model the samples are of the null class ("no class"), and
/// <see cref="Conditional"/> scores f(z | c) class by class; null for other models.</remarks>
public sealed record ModeReport(string Norm, List<SampleMetrics> Samples, double ReconstructionError,
    List<ProjectionMetrics> Projections, ConditionalMetrics? Conditional = null);

/// <summary>A reference point: a set of real or noise images scored like the samples.</summary>
public sealed record ReferenceMetrics(string Name, double Frechet, double Precision, double Recall);

public sealed record EvaluationReport
{
    public required string Checkpoint { get; init; }
    public required long ModelStep { get; init; }
    public required string Preset { get; init; }
    public required int SampleCount { get; init; }
    public required int ProjectionCount { get; init; }
    public string ProjectedImages { get; init; } = "test";     // which images Make It Real corrupted: test or training
    public int HoleFitSteps { get; init; }                      // Adam steps fitting an inpainted hole before each f
    public required int Seed { get; init; }
    public required int NearestNeighbours { get; init; }
    // the MNIST classifier file, or null when another feature space was used
    public string? Classifier { get; init; }
    public double? ClassifierTestAccuracy { get; init; }
    public string FeatureSpace { get; init; } = "";             // IFeatureSpace.Description: what the features are
    public int TestCount { get; init; }                         // test images the samples are compared with
    public int FloorCount { get; init; }                        // training images of the floor row
    public required ReferenceMetrics Floor { get; init; }      // training images vs test: the best a model can hope for
    public required ReferenceMetrics Ceiling { get; init; }    // prior noise vs test: what no learning gives
    public required List<ModeReport> Modes { get; init; }
    public required double Seconds { get; init; }
    // "as trained" (BatchNorm's running averages) or "per input" (recalibrated sets)
    public string RunningStatistics { get; init; } = "as trained";
    public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("O");
}
