using Ign.Normalization;
using Ign.Runtime;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>One class of a conditional model's one-step samples f(z | c).</summary>
public sealed record ClassMetrics(
    int Class,
    int Samples,
    double Agreement,   // fraction of f(z | c) the classifier calls c
    double Frechet,     // Fréchet distance to the test images of class c
    double Precision = 0, // of f(z | c) against the test images of class c (0 in reports from before it was measured)
    double Recall = 0);   // the test images of class c inside f(z | c)'s manifold: the class's variety covered

/// <summary>A conditional model asked for each class in turn.</summary>
/// <param name="PooledFrechet">every class's samples together against the whole test set: unconditional generation
/// by drawing the class first, to set beside the null class's; <paramref name="PooledPrecision"/> and
/// <paramref name="PooledRecall"/> the same samples' against the whole test set</param>
public sealed record ConditionalMetrics(double Agreement, double MeanFrechet, List<ClassMetrics> Classes,
    double PooledFrechet, double MeanRecall = 0, double PooledPrecision = 0, double PooledRecall = 0);

/// <summary>
/// Scores a class-conditional model's f(z | c): how often the classifier agrees with the class asked for, and the
/// Fréchet distance, precision and recall of each class's samples against the test images of that class (in the
/// classifier's features), and of all classes' samples together against the whole test set.
/// </summary>
public static class ClassConditionalScore
{
    /// <param name="testFit">the Gaussian of all of <paramref name="testFeatures"/>, which the evaluation has already
    /// fitted, for the pooled distance</param>
    /// <param name="testRadii">the test features' k-th neighbour distances (<see cref="PrecisionRecall"/>), likewise
    /// </param>
    /// <param name="neighbours">k of precision and recall</param>
    /// <param name="perClass">samples per class</param>
    /// <param name="grid">receives the first <paramref name="gridColumns"/> samples of every class, class-major
    /// (classes × columns, C, H, W)</param>
    public static ConditionalMetrics Run(TrainedModel model, IFeatureSpace classifier, Tensor testFeatures,
        GaussianFit testFit, Tensor testRadii, Tensor testLabels, NormMode mode, int perClass, int neighbours,
        int batchSize, int seed, int gridColumns, out Tensor grid)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed + 3);
        using var scalars = new HeldScalars();
        var classes = new List<ClassMetrics>();
        var gridRows = new List<Tensor>();
        var pooled = new List<Tensor>();
        for (int c = 0; c < model.Classes; c++)
        {
            using var classScope = NewDisposeScope();
            var z = model.Prior.Sample(perClass, model.Device, generator);               // (n, C, H, W)
            var outputs = new List<Tensor>();
            for (long start = 0; start < perClass; start += batchSize)
            {
                long n = Math.Min(batchSize, perClass - start);
                outputs.Add(model.Apply(z.narrow(0, start, n), [1], mode, InputKind.Noise, model.ClassLabels(c, n))[0]);
            }
            var samples = cat(outputs, 0);                                               // (n, C, H, W)
            var (features, predicted) = classifier.Run(samples);
            double agreement = predicted!.eq(scalars.Of(c)).to(float64).mean().item<double>();
            var ofClass = testFeatures.index(testLabels.eq(scalars.Of(c)));                         // (m, F)
            using var fit = GaussianFit.Of(features);
            using var classFit = GaussianFit.Of(ofClass);
            var (precision, recall) = perClass > neighbours && ofClass.shape[0] > neighbours
                ? PrecisionRecall.Compute(ofClass, features, neighbours)
                : (double.NaN, double.NaN);                                  // too few points for k neighbours
            classes.Add(new ClassMetrics(c, perClass, agreement, FrechetDistance.Between(fit, classFit), precision,
                recall));
            pooled.Add(features.MoveToOuterDisposeScope());
            gridRows.Add(samples.narrow(0, 0, Math.Min(gridColumns, perClass)).clone().MoveToOuterDisposeScope());
        }
        grid = cat(gridRows, 0).MoveToOuterDisposeScope();
        var pooledFeatures = cat(pooled, 0);                                           // (classes · n, F)
        using var pooledFit = GaussianFit.Of(pooledFeatures);
        var (pooledPrecision, pooledRecall) = pooledFeatures.shape[0] > neighbours
            ? PrecisionRecall.Compute(testFeatures, testRadii, pooledFeatures, neighbours)
            : (double.NaN, double.NaN);
        return new ConditionalMetrics(classes.Average(m => m.Agreement), classes.Average(m => m.Frechet), classes,
            FrechetDistance.Between(pooledFit, testFit), classes.Average(m => m.Recall), pooledPrecision,
            pooledRecall);
    }
}
