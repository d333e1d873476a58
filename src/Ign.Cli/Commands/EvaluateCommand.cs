using System.CommandLine;
using Ign.Data;
using Ign.Evaluation;
using Ign.Imaging;
using Ign.Runtime;
using Ign.Sampling;
using Ign.Training;
using Ign.Normalization;
using Ign.IO;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign evaluate`: sample quality, idempotence and projection accuracy of a checkpoint, as report.md/json and PNGs.
/// 1×28×28 models are measured with the MNIST classifier; others with the encoder trained on their data set (`ign
/// encoder train`).
/// </summary>
public static class EvaluateCommand
{
    private static readonly Option<string?> CheckpointOption = ModelOptions.Checkpoint();
    private static readonly Option<int> Samples =
        Opt.With("--samples", 10_000, "generated images per k and BatchNorm mode");
    private static readonly Option<string> StepsOption = Opt.With("--steps", "1,2,3", "k of f^k(z) to score");
    private static readonly Option<string> ProjectionStepsOption = Opt.With("--projection-steps", "1,2,3",
        "k of f^k(c(x)) to score for Make It Real (e.g. 1,2,3,10,50 to see whether repeated projection drifts)");
    private static readonly Option<int> Projections =
        Opt.With("--projections", 10_000, "corrupted test digits per corruption");
    private static readonly Option<string> ProjectionsFrom = Opt.With("--projections-from", "test",
        "test | train: the images Make It Real corrupts and projects; train (its first N) shows whether f keeps " +
        "what it was trained on better than held-out images (a diagnostic, not a score)");
    private static readonly Option<string[]> Corruptions = Opt.Of<string[]>("--corrupt",
        "corruptions for Make It Real (repeatable; default: " +
        $"{string.Join(", ", new EvaluationOptions().Corruptions)}; " +
        "for colour models grayscale, noise:0.3, occlude:<size·10/28>, jitter); " +
        "\"inpaint SPEC\" keeps the pixels an occlusion left and lets f fill the rest. Grey 28×28 models also " +
        "project digits rendered from the installed fonts and digits drawn as on `ign serve`'s pad. " +
        $"Kinds: {Ign.Corruptions.CorruptionParser.Help}");
    private static readonly Option<string> Norm = Opt.With("--norm", "batch,running",
        "BatchNorm statistics to evaluate, comma-separated: auto | batch | running");
    private static readonly Option<int> Seed = Opt.With("--seed", 0, "seed of z, reference subsets and corruptions");
    private static readonly Option<string?> Out =
        Opt.Of<string?>("--out", "report folder (default: <checkpoint name>-eval next to the checkpoint)");
    private static readonly Option<string?> MetricsPath = Opt.Of<string?>("--metrics",
        "metrics.jsonl of the training run, for the loss curves (default: the one next to the checkpoint, if any)");
    private static readonly Option<string?> ClassifierPath =
        Opt.Of<string?>("--classifier", "feature classifier (default: the committed data/classifier/mnist-lenet.ign)");
    private static readonly Option<string?> EncoderPath = Opt.Of<string?>("--encoder",
        "encoder whose features to measure in, instead of the MNIST classifier " +
        "(default for models that are not 1×28×28: data/encoders/<dataset>-ae.ign)");
    private static readonly Option<string> DeviceOption = ModelOptions.Device();
    private static readonly Option<int> HoleFitOption = ModelOptions.HoleFitSteps();

    public static Command Create()
    {
        var command = new Command("evaluate",
            "Fréchet distance, precision/recall, class histogram, idempotence and Make-It-Real accuracy " +
            "of a checkpoint at k = 1, 2, 3");
        foreach (var o in new Option[] { CheckpointOption, Samples, StepsOption, ProjectionStepsOption, Projections,
            ProjectionsFrom, Corruptions, Norm, Seed, Out, ClassifierPath, EncoderPath, MetricsPath, HoleFitOption,
            DeviceOption })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        int samples = parse.GetValue(Samples), projections = parse.GetValue(Projections);
        if (samples is < 10 or > 100_000) throw new ArgumentException("--samples must be between 10 and 100000");
        if (projections is < 1 or > 10_000)
            throw new ArgumentException("--projections must be between 1 and 10000 (MNIST's test set size)");
        var steps = Steps.ParsePositive(parse.GetValue(StepsOption)!, max: 1000);
        var projectionSteps =
            Steps.ParsePositive(parse.GetValue(ProjectionStepsOption)!, max: 1000, option: "--projection-steps");
        NormMode[] modes = parse.GetValue(Norm)!.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(NormModes.Parse).Distinct().ToArray();
        if (modes.Length == 0) throw new ArgumentException("--norm needs at least one of auto, batch, running");
        bool projectTraining = parse.GetValue(ProjectionsFrom)!.Trim().ToLowerInvariant() switch
        {
            "test" => false,
            "train" => true,
            var other => throw new ArgumentException($"--projections-from must be test or train, got '{other}'"),
        };
        var defaults = new EvaluationOptions();
        var holeFit = ModelOptions.HoleFit(parse.GetValue(HoleFitOption));
        var givenCorruptions = parse.GetValue(Corruptions) is { Length: > 0 } given ? given : null;
        // fail before any work
        foreach (var spec in givenCorruptions ?? []) Ign.Corruptions.ProjectionSpec.Parse(spec);

        string checkpoint = parse.GetValue(CheckpointOption) ?? ModelFiles.ShippedModelPath();
        string outDir = parse.GetValue(Out) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!,
            Path.GetFileNameWithoutExtension(checkpoint) + "-eval");
        var device = Devices.Parse(parse.GetValue(DeviceOption)!);

        using var model = TrainedModel.Load(checkpoint, device);
        bool mnistLike = model.Channels == 1 && model.ImageSize == 28 && parse.GetValue(EncoderPath) is null;
        var options = defaults with
        {
            Samples = samples, Steps = steps, ProjectionSteps = projectionSteps, ProjectionCount = projections,
            Modes = modes, Seed = parse.GetValue(Seed),
            Corruptions = givenCorruptions
                ?? (model.Channels == 1 ? defaults.Corruptions : EvaluationOptions.ColourCorruptions(model.ImageSize)),
            NearestNeighbours = Math.Min(defaults.NearestNeighbours, samples - 1),
            HoleFit = holeFit, ProjectTrainingImages = projectTraining,
        };
        (EvaluationReport, EvaluationPictures) result;
        if (mnistLike)
        {
            string classified = ClassifierFile.DatasetScoring(model.Config.Dataset);
            string classifierPath = parse.GetValue(ClassifierPath) ?? ClassifierFile.DefaultPath(classified);
            if (!File.Exists(classifierPath) && classified != "mnist")
                throw new FileNotFoundException($"{classifierPath}: no {classified} classifier here; train one with " +
                    $"`ign classifier train --dataset {classified}`, or give --classifier FILE");
            var (classifier, header) = ClassifierFile.Load(classifierPath, device);
            using var _ = classifier;
            if (header.Dataset != classified)
                throw new ArgumentException($"{classifierPath} classifies {header.Dataset} and this model makes " +
                    $"{classified} images; give a {classified} classifier with --classifier");
            var features = new FeatureExtractor(classifier);
            var (test, train) = classified == "mnist"
                ? (MnistFolder.LoadEmbeddedMnist(Split.Test), MnistFolder.LoadEmbeddedMnist(Split.Train))
                : (model.Config.LoadTestSet(), model.Config.LoadTrainingSet());
            // digits from fonts and the page's pad are out of place for anything but digits
            var evaluator = NewEvaluator(model, features, test, train,
                options with { OtherDigits = classified == "mnist" }, checkpoint, parse);
            result = evaluator.Run(RecordedPath.Of(checkpoint), RecordedPath.Of(classifierPath), header.TestAccuracy);
        }
        else
        {
            string dataset = model.Config.Dataset;
            string encoderPath = parse.GetValue(EncoderPath) ?? AutoencoderFile.DefaultPath(dataset);
            var (encoder, header) = AutoencoderFile.Load(encoderPath, device, dataset);
            using var _ = encoder;
            if (header.Channels != model.Channels || header.ImageSize != model.ImageSize)
                throw new ArgumentException($"{encoderPath}: the encoder reads " +
                    $"{header.Channels}×{header.ImageSize}×{header.ImageSize} images; " +
                    $"this model makes {model.Channels}×{model.ImageSize}×{model.ImageSize}");
            var test = model.Config.LoadTestSet();
            var train = model.Config.LoadTrainingSet();
            if (test.Channels != model.Channels || test.Height != model.ImageSize)
                throw new ArgumentException($"{checkpoint}: its data set '{dataset}' has " +
                    $"{test.Channels}×{test.Height}×{test.Width} images; " +
                    $"the model makes {model.Channels}×{model.ImageSize}×{model.ImageSize}");
            var evaluator = NewEvaluator(model, new EncoderFeatures(encoder, header, encoderPath), test, train, options,
                checkpoint, parse);
            result = evaluator.Run(RecordedPath.Of(checkpoint));
        }
        var (report, pictures) = result;

        Directory.CreateDirectory(outDir);
        var pngs = EvaluationPlots.Write(outDir, report, pictures);
        var metricsLog = parse.GetValue(MetricsPath)
            ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, "metrics.jsonl");
        if (MetricsLog.Read(metricsLog) is { Count: > 0 } entries)
        {
            LossPlot.Save(Path.Combine(outDir, "losses.png"), entries);
            pngs.Add("losses.png");
        }
        ReportWriter.Write(outDir, report, pngs);
        PrintSummary(report);
        CommandErrors.Info($"wrote [blue]{Path.Combine(outDir, "report.md")}[/], report.json and {pngs.Count} PNGs " +
            $"in {report.Seconds:F0} s");
        return 0;
    }

    private static Evaluator NewEvaluator(TrainedModel model, IFeatureSpace features, ImageDataset test,
        ImageDataset train, EvaluationOptions options, string checkpoint, ParseResult parse)
    {
        CommandErrors.Info($"[bold]ign evaluate[/] {checkpoint} (step {model.Step}): {options.Samples} samples " +
            $"at k = {string.Join(", ", options.Steps)}, BatchNorm {parse.GetValue(Norm)}");
        CommandErrors.Info($"  features: {Spectre.Console.Markup.Escape(features.Description)}");
        return new Evaluator(model, features, test, train, options)
        {
            Progress = new SynchronousProgress<string>(stage => Console.WriteLine($"  {stage}")),
            // the embedded emoji's categories, for mode coverage (a model of another data set has none)
            Categories = model.Config.Dataset == "emoji" ? EmojiCategories.LoadEmbedded() : null,
        };
    }

    private static void PrintSummary(EvaluationReport r)
    {
        Console.WriteLine($"floor   (train vs test): FD {r.Floor.Frechet:F2}  precision {r.Floor.Precision:F3}  " +
            $"recall {r.Floor.Recall:F3}");
        Console.WriteLine($"ceiling (noise vs test): FD {r.Ceiling.Frechet:F2}  precision {r.Ceiling.Precision:F3}  " +
            $"recall {r.Ceiling.Recall:F3}");
        foreach (var mode in r.Modes)
        {
            foreach (var s in mode.Samples)
                Console.WriteLine(
                    $"{mode.Norm,-7} k={s.K}: FD {s.Frechet:F2}  precision {s.Precision:F3}  recall {s.Recall:F3}  " +
                    (s.EntropyBits is { } bits
                        ? $"entropy {bits:F3} bits  max class dev {100 * s.MaxClassDeviation:F1} %  "
                        : "") +
                    $"idem err {s.IdempotenceError:F4}");
            if (mode.Conditional is { } conditional)
                Console.WriteLine($"{mode.Norm,-7} the k rows are the null class's; by class: agreement " +
                    $"{100 * conditional.Agreement:F1} %  per-class FD mean {conditional.MeanFrechet:F2}  " +
                    $"recall mean {conditional.MeanRecall:F3}  classes pooled FD {conditional.PooledFrechet:F2}  " +
                    $"precision {conditional.PooledPrecision:F3}  recall {conditional.PooledRecall:F3}");
            Console.WriteLine($"{mode.Norm,-7} reconstruction error {mode.ReconstructionError:F4}");
            foreach (var p in mode.Projections)
                Console.WriteLine($"{mode.Norm,-7} {p.Corruption,-28} " +
                    (p.AccuracyProjected is { } accuracy
                        ? $"acc c(x) {100 * p.AccuracyCorrupted:F1} %  " +
                            string.Join("  ", p.Ks.Zip(accuracy, (k, a) => $"f^{k} {100 * a:F1} %")) + "  " +
                            (p.Lost is { } lost ? $"lost {lost} gained {p.Gained}  " : "")
                        : "") +
                    (p.ErrorProjected is { } error
                        ? $"|c(x) − x| {p.ErrorCorrupted:F4}  " +
                            string.Join("  ", p.Ks.Zip(error, (k, e) => $"|f^{k} − x| {e:F4}"))
                        : "") +
                    (p.WorseAtLaterK ? "  ← worse at a later k" : ""));
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; stage lines must print in order, now.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
