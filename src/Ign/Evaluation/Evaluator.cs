using Ign.Runtime;
using System.Diagnostics;
using Ign.Corruptions;
using Ign.Data;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Evaluation;

public sealed record EvaluationOptions
{
    public int Samples { get; init; } = 10_000;           // generated images per k and BatchNorm mode
    public int[] Steps { get; init; } = [1, 2, 3];        // k of f^k(z) to score
    public int Seed { get; init; } = 0;                    // seed of z, of the reference subsets and of the corruptions
    // images per forward pass of f (batch statistics are per batch)
    public int BatchSize { get; init; } = 256;
    public int ProjectionCount { get; init; } = 10_000;    // corrupted test digits per corruption
    public int[] ProjectionSteps { get; init; } = [1, 2, 3]; // f, f∘f and f∘f∘f
    // corrupt and project the first training images instead of the test images: whether f keeps what it was trained
    // on better than what it was not (a diagnostic of generalisation, not a score)
    public bool ProjectTrainingImages { get; init; }
    public int NearestNeighbours { get; init; } = 3;       // k of the precision/recall manifolds (the paper's default)
    public NormMode[] Modes { get; init; } = [NormMode.Batch, NormMode.Running];
    public string[] Corruptions { get; init; } =
        ["noise:sigma=0.3", "noise:sigma=0.6", "occlude:size=10", "inpaint occlude:size=10", "saltpepper:amount=0.2",
         "sketch", "lowres:size=7", "blur:sigma=1"];
    public HoleFit HoleFit { get; init; } = new();       // how the "inpaint" rows fit the hole before each f
    public int ExampleCount { get; init; } = 6;            // projection examples kept per corruption for the picture
    // also project digits that never came from MNIST (1×28×28 models with a classifier): rendered from the installed
    // fonts, and drawn as on the page's pad
    public bool OtherDigits { get; init; } = true;

    /// <summary>
    /// The default corruptions for colour images of the given size: the occluding square scales with the image as 10
    /// does on 28, and is scored both projected whole and inpainted, as for digits.
    /// </summary>
    public static string[] ColourCorruptions(int imageSize)
    {
        string occlude = $"occlude:size={Math.Max(1, imageSize * 10 / 28)}";
        return ["grayscale", "noise:sigma=0.3", occlude, ProjectionSpec.Inpainted(occlude), "jitter"];
    }
}

/// <summary>Images kept for the report's pictures.</summary>
/// <param name="ClassGrids">per BatchNorm mode, a conditional model's samples class by class (classes × 8)</param>
/// <param name="Lost">per corruption, examples of the digits read right at the first k and wrong at the last
/// (columns x, c(x), f^k(c(x)) for each k), for rows that lost any</param>
public sealed record EvaluationPictures(Dictionary<string, List<Tensor>> SamplesByMode,
    List<(string Corruption, List<Tensor> Columns)> Projections, Dictionary<string, Tensor> ClassGrids,
    List<(string Corruption, List<Tensor> Columns)> Lost);

/// <summary>
/// Scores a trained IGN against the test set in a feature space (the MNIST classifier's, or an encoder's for data
/// without one): Fréchet distance and precision/recall of f^k(z), idempotence and reconstruction errors, and how
/// close f brings corrupted test images back to the originals ("Make It Real" restoration error). With a
/// classifier and labels it also reports the class histogram of f^k(z) and the classifier accuracy on projections.
/// </summary>
public sealed class Evaluator(TrainedModel model, IFeatureSpace extractor, ImageDataset test, ImageDataset train,
    EvaluationOptions options)
{
    public IProgress<string>? Progress { get; init; }
    /// <summary>The category of each training and test image (in the sets' order), for mode coverage.</summary>
    public Data.EmojiCategories? Categories { get; init; }
    private CategoryLabeller? labeller; // with Categories: the nearest training image's category
    private Tensor? testRadii; // k-th neighbour distances within the test features, computed once
    private double testSharpness; // the test images' high-frequency share of power

    /// <param name="classifierPath">The classifier file behind a <see cref="FeatureExtractor"/>, for the report; null
    /// for other feature spaces.</param>
    public (EvaluationReport Report, EvaluationPictures Pictures) Run(string checkpointPath,
        string? classifierPath = null, double? classifierAccuracy = null)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var device = model.Device;
        Progress?.Report("features of the test set");
        // (N, C, H, W): (10000, 1, 28, 28) for MNIST
        var testImages = test.First(device: device);
        var (testFeatures, testClasses) = extractor.Run(testImages);
        bool classified = testClasses is not null;
        Tensor? LabelsOf(ImageDataset set) => classified && set.Labels is { } labels   // (N) int64
            ? tensor(labels.Select(l => (long)l).ToArray(), int64, device)
            : null;
        var testLabels = LabelsOf(test);
        using var testFit = GaussianFit.Of(testFeatures);
        testRadii = PrecisionRecall.KthNeighbourDistance(testFeatures, options.NearestNeighbours);
        testSharpness = Sharpness.HighFrequencyShare(testImages);
        if (Categories is { } categories)
        {
            if (categories.Train.Length != train.Count || categories.Test.Length != test.Count)
                throw new ArgumentException($"{categories.Train.Length} + {categories.Test.Length} categories for " +
                    $"{train.Count} training and {test.Count} test images");
            Progress?.Report("features of the training set, for mode coverage");
            labeller = new CategoryLabeller(categories.Names, extractor.Run(train.First(device: device)).Features,
                categories.Train, testFeatures, categories.Test);
        }

        Progress?.Report("floor: training images against the test set");
        // (min(samples, train), C, H, W)
        var floorImages = TrainSubset(device);
        var floor = Reference("train vs test", floorImages, testFeatures, testFit);
        Progress?.Report("ceiling: prior noise against the test set");
        using var noiseGenerator = new Generator((ulong)options.Seed + 1);
        using var scalars = new HeldScalars();
        var noise = model.Prior.Sample(options.Samples, device, noiseGenerator).clamp(scalars.Of(-1), scalars.Of(1));
        var ceiling = Reference("noise vs test", noise, testFeatures, testFit);

        // (N, C, H, W): the images Make It Real corrupts, and their classes
        var firstTraining = options.ProjectTrainingImages ? train.Take(options.ProjectionCount) : null;
        var (projected, projectedLabels) = firstTraining is null
            ? (testImages, testLabels)
            : (firstTraining.First(device: device), LabelsOf(firstTraining));
        var modes = new List<ModeReport>();
        var pictures = new EvaluationPictures([], [], [], []);
        bool hasBatchNorm = BatchNormLayers.Any(model.Network);
        // rendered once, projected in each mode
        var otherDigits = options.OtherDigits && testLabels is not null && model.Channels == 1 && model.ImageSize == 28
            ? new[] { FontDigits.Render(), CanvasDigits.Render() }.Where(set => set.Count > 0).ToList()
            : [];
        foreach (var mode in options.Modes.Select(model.Resolve).Distinct()
            .Where(m => hasBatchNorm || m == NormMode.Running))
        {
            string norm = mode.ToString().ToLowerInvariant();
            Progress?.Report($"{norm} statistics: {options.Samples} samples at k = {string.Join(", ", options.Steps)}");
            var samples = ScoreSamples(mode, testFeatures, testFit, pictures, norm, classified);
            Progress?.Report($"{norm} statistics: reconstruction and projections");
            double reconstruction = ReconstructionError(testImages, mode);
            var projections = options.Corruptions
                .Select(spec =>
                    Project(spec, projected, projectedLabels, mode, pictures, keepExamples: modes.Count == 0))
                .ToList();
            // the same rows again told what they are given, where the model has statistics of that kind of image
            if (mode == NormMode.Running && model.NormStatistics is { } statistics)
                projections.AddRange(options.Corruptions
                    .Select(spec => (Spec: spec, Kind: NormStatistics.ChooseImageKind(null,
                        ProjectionSpec.Parse(spec).Corruption.Spec, statistics)))
                    .Where(row => row.Kind is not null)
                    .Select(row => Project(row.Spec, projected, projectedLabels, mode, pictures, keepExamples: false,
                        imagesLike: row.Kind)));
            projections.AddRange(otherDigits.Select(set => ScoreOtherDigits(set, mode, pictures, modes.Count == 0)));
            ConditionalMetrics? conditional = null;
            if (model.Classes > 0 && testLabels is not null)
            {
                int perClass = Math.Max(1, options.Samples / model.Classes);
                Progress?.Report($"{norm} statistics: {perClass} samples of each of {model.Classes} classes");
                conditional = ClassConditionalScore.Run(model, extractor, testFeatures, testFit, testRadii!,
                    testLabels, mode, perClass, options.NearestNeighbours, options.BatchSize, options.Seed,
                    gridColumns: 8, out var grid);
                pictures.ClassGrids[norm] = grid;
            }
            modes.Add(new ModeReport(norm, samples, reconstruction, projections, conditional));
        }

        var report = new EvaluationReport
        {
            Checkpoint = checkpointPath, ModelStep = model.Step, Preset = model.Config.Preset,
            SampleCount = options.Samples, ProjectionCount = Math.Min(options.ProjectionCount, (int)projected.shape[0]),
            ProjectedImages = options.ProjectTrainingImages ? "training" : "test",
            HoleFitSteps = options.HoleFit.Iterations,
            Seed = options.Seed, NearestNeighbours = options.NearestNeighbours,
            Classifier = classifierPath, ClassifierTestAccuracy = classifierAccuracy,
            FeatureSpace = extractor.Description,
            TestCount = test.Count, FloorCount = (int)floorImages.shape[0], Floor = floor, Ceiling = ceiling,
            Modes = modes, Seconds = clock.Elapsed.TotalSeconds,
            RunningStatistics = model.NormStatistics is null ? "as trained" : "per input",
        };
        foreach (var t in pictures.SamplesByMode.Values.SelectMany(v => v)
                     .Concat(pictures.Projections.Concat(pictures.Lost).SelectMany(p => p.Columns))
                     .Concat(pictures.ClassGrids.Values))
            t.MoveToOuterDisposeScope();
        return (report, pictures);
    }

    private Tensor TrainSubset(Device device)
    {
        var random = new Random(options.Seed);
        var indices = Enumerable.Range(0, train.Count).OrderBy(_ => random.Next()).Take(options.Samples).ToArray();
        return train.Batch(indices, device);
    }

    private ReferenceMetrics Reference(string name, Tensor images, Tensor testFeatures, GaussianFit testFit)
    {
        using var scope = NewDisposeScope();
        var (features, _) = extractor.Run(images);
        using var fit = GaussianFit.Of(features);
        var (precision, recall) =
            PrecisionRecall.Compute(testFeatures, testRadii!, features, options.NearestNeighbours);
        return new ReferenceMetrics(name, FrechetDistance.Between(fit, testFit), precision, recall);
    }

    private List<SampleMetrics> ScoreSamples(NormMode mode, Tensor testFeatures, GaussianFit testFit,
        EvaluationPictures pictures, string norm, bool classified)
    {
        using var scope = NewDisposeScope();
        var ks = options.Steps.Distinct().Order().ToArray();
        // f^(k+1) for the idempotence error
        var wanted = ks.Concat(ks.Select(k => k + 1)).Distinct().Order().ToArray();
        using var generator = new Generator((ulong)options.Seed);
        var z = model.Prior.Sample(options.Samples, model.Device, generator);            // (N, C, H, W)
        var images = ks.ToDictionary(k => k, _ => new List<Tensor>());
        var idempotence = ks.ToDictionary(k => k, _ => 0.0);
        for (long start = 0; start < options.Samples; start += options.BatchSize)
        {
            using var batchScope = NewDisposeScope();
            var batch = z.narrow(0, start, Math.Min(options.BatchSize, options.Samples - start));
            var outputs = model.Apply(batch, wanted, mode, InputKind.Noise);
            var byK = wanted.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => outputs[p.i]);
            foreach (var k in ks)
            {
                idempotence[k] += (byK[k + 1] - byK[k]).abs().sum().item<float>();
                images[k].Add(byK[k].MoveToOuterDisposeScope());
            }
        }
        var result = new List<SampleMetrics>();
        foreach (var k in ks)
        {
            var all = cat(images[k], 0);                                                  // (N, C, H, W)
            var (features, classes) = extractor.Run(all);
            using var fit = GaussianFit.Of(features);
            var (precision, recall) =
                PrecisionRecall.Compute(testFeatures, testRadii!, features, options.NearestNeighbours);
            var histogram = classified ? ClassHistogram.Of(classes!.data<long>().ToArray()) : null;
            result.Add(new SampleMetrics(k, FrechetDistance.Between(fit, testFit), precision, recall,
                histogram?.EntropyBits, histogram?.MaxRelativeDeviation, histogram?.Counts,
                idempotence[k] / all.numel(),
                Sharpness.Relative(Sharpness.HighFrequencyShare(all), testSharpness),
                labeller?.Coverage(features)));
            pictures.SamplesByMode[$"{norm} k={k}"] =
                [all.narrow(0, 0, Math.Min(64, all.shape[0])).clone().MoveToOuterDisposeScope()];
        }
        return result;
    }

    private double ReconstructionError(Tensor testImages, NormMode mode)
    {
        double sum = 0;
        for (long start = 0; start < testImages.shape[0]; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var x = testImages.narrow(0, start, Math.Min(options.BatchSize, testImages.shape[0] - start));
            sum += (model.Apply(x, [1], mode, InputKind.Image)[0] - x).abs().sum().item<float>();
        }
        return sum / testImages.numel();
    }

    /// <param name="imagesLike">the kind of image whose BatchNorm set the first application uses (null: the clean
    /// images'); named in the row</param>
    private ProjectionMetrics Project(string spec, Tensor testImages, Tensor? testLabels, NormMode mode,
        EvaluationPictures pictures, bool keepExamples, string? imagesLike = null)
    {
        // no scope of its own: Score moves the kept examples one scope out, to the evaluation's
        var projection = ProjectionSpec.Parse(spec);
        int n = Math.Min(options.ProjectionCount, (int)testImages.shape[0]);
        using var generator = new Generator((ulong)options.Seed + 2);
        var x = testImages.narrow(0, 0, n);
        var labels = testLabels?.narrow(0, 0, n);
        // (n, C, H, W), and (n, 1, H, W) where inpainting keeps pixels
        var (corrupted, known) = projection.Apply(x, generator);
        string name = imagesLike is null ? projection.Spec : $"{projection.Spec} [{imagesLike} statistics]";
        try { return Score(name, x, corrupted, known, labels, mode, pictures, keepExamples, imagesLike); }
        finally
        {
            corrupted.Dispose();
            known?.Dispose();
        }
    }

    /// <summary>f, f², ... of <paramref name="corrupted"/> (inpainted where <paramref name="known"/> is given), scored
    /// against the originals <paramref name="x"/>: classifier accuracy and restoration error per k.</summary>
    private ProjectionMetrics Score(string name, Tensor x, Tensor corrupted, Tensor? known, Tensor? labels,
        NormMode mode, EvaluationPictures pictures, bool keepExamples, string? imagesLike = null)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var ks = options.ProjectionSteps;
        var projected = ks.Select(_ => new List<Tensor>()).ToArray();
        for (long start = 0; start < n; start += options.BatchSize)
        {
            long count = Math.Min(options.BatchSize, n - start);
            var outputs = model.Project(corrupted.narrow(0, start, count), known?.narrow(0, start, count), ks, mode,
                fit: options.HoleFit, imagesLike: imagesLike);
            for (int i = 0; i < ks.Length; i++) projected[i].Add(outputs[i]);
        }
        var stacked = projected.Select(list => cat(list, 0)).ToArray();
        if (keepExamples)
        {
            int e = (int)Math.Min(options.ExampleCount, n);
            var columns = new[] { x, corrupted }.Concat(stacked)
                .Select(t => t.narrow(0, 0, e).clone().MoveToOuterDisposeScope())
                .ToList();
            pictures.Projections.Add((name, columns));
        }
        double MeanError(Tensor images) => (images - x).abs().mean().item<float>();
        bool colour = x.shape[1] == 3;
        var right = labels is null ? null : stacked.Select(p => ReadRight(p, labels)).ToArray(); // (n) bool each
        var (lost, gained) = right is { Length: > 1 } ? (right[0] & ~right[^1], ~right[0] & right[^1]) : (null, null);
        if (keepExamples && lost is not null) KeepLostExamples(name, lost, [x, corrupted, .. stacked], pictures);
        double Share(Tensor r) => r.to(float64).mean().item<double>();
        return new ProjectionMetrics(name,
            labels is null ? null : Share(ReadRight(corrupted, labels)), ks,
            right?.Select(Share).ToArray(),
            MeanError(corrupted), stacked.Select(MeanError).ToArray(),
            colour ? Chroma.Error(corrupted, x) : null,
            colour ? stacked.Select(p => Chroma.Error(p, x)).ToArray() : null,
            (int?)lost?.sum().item<long>(), (int?)gained?.sum().item<long>());
    }

    /// <summary>The first of the <paramref name="lost"/> (n) images, each column (n, C, H, W) of them, for
    /// lost.png; moved one scope out, as the projection examples are.</summary>
    private void KeepLostExamples(string name, Tensor lost, Tensor[] columns, EvaluationPictures pictures)
    {
        var indices = lost.nonzero().flatten();                                             // (m)
        if (indices.shape[0] == 0) return;
        var examples = indices.narrow(0, 0, Math.Min(options.ExampleCount, indices.shape[0]));
        pictures.Lost.Add((name, columns.Select(t => t.index_select(0, examples).MoveToOuterDisposeScope()).ToList()));
    }

    /// <summary>Digits that never came from MNIST (rendered from fonts, drawn as on the page), projected as they
    /// are (no corruption): the out-of-distribution digits a user would bring.</summary>
    private ProjectionMetrics ScoreOtherDigits(ImageDataset digits, NormMode mode, EvaluationPictures pictures,
        bool keepExamples)
    {
        // the sets are ordered digit by digit; shuffle so the picture's examples are varied
        var shuffle = new Random(options.Seed);
        var order = Enumerable.Range(0, digits.Count).OrderBy(_ => shuffle.Next()).ToArray();
        var x = digits.Batch(order, model.Device);                                       // (n, 1, 28, 28)
        using var labels = tensor(order.Select(i => (long)digits.Labels![i]).ToArray(), int64, model.Device);
        using (x) return Score(digits.Name, x, x, null, labels, mode, pictures, keepExamples);
    }

    /// <summary>Which images the classifier assigns to their true label: (n) bool.</summary>
    private Tensor ReadRight(Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (_, classes) = extractor.Run(images);
        return classes!.eq(labels.to(classes.dtype)).MoveToOuterDisposeScope();
    }
}
