using Ign.Data;
using Ign.Normalization;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>One set of images against the data: its scores' ROC curve, by distance and by idempotence gap.</summary>
public sealed record OutOfDistributionRow(string Set, int Count, double MeanDistance, RocCurve ByDistance,
    RocCurve ByIdempotenceGap);

/// <summary>The score's calibration and its test: how well |f(x) − x| tells other images from held-out data.
/// </summary>
public static class OutOfDistribution
{
    /// <summary>A score calibrated on the first <paramref name="count"/> images of the model's test set.</summary>
    public static DistanceScore Calibrated(TrainedModel model, int count, NormMode norm)
    {
        var test = model.Config.LoadTestSet();
        using var heldOut = test.First(Math.Min(count, test.Count));                        // (n, C, S, S)
        return new DistanceScore(model, heldOut, norm);
    }

    /// <summary>
    /// Data images (the test images after those <paramref name="score"/> was calibrated on) against each other set:
    /// Fashion-MNIST's test images (when installed), font and canvas digits (1×28×28 models), and noise from the
    /// model's prior, clamped to the image range. <paramref name="count"/> images per set at most; a set that cannot
    /// be had is reported and left out.
    /// </summary>
    public static List<OutOfDistributionRow> Study(TrainedModel model, DistanceScore score, int count,
        Action<string>? report = null)
    {
        var test = model.Config.LoadTestSet();
        int start = Math.Min(score.Calibration.Count, test.Count - 1);
        using var data = test.Batch(Enumerable.Range(start, Math.Min(count, test.Count - start)).ToArray(), CPU);
        var (dataDistance, dataGap) = score.Raw(data);

        var sets = new List<(string Name, Func<Tensor> Images)>();
        bool digits = model.Channels == 1 && model.ImageSize == 28;
        if (digits && model.Config.Dataset != "fashion-mnist")
            sets.Add(("Fashion-MNIST", () => FashionMnist.Load(Split.Test).First(count)));
        if (digits && model.Config.Dataset == "fashion-mnist")
            sets.Add(("MNIST", () => MnistFolder.LoadEmbeddedMnist(Split.Test).First(count)));
        if (digits) sets.Add(("font digits", () => FontDigits.Render().First(count)));
        if (digits) sets.Add(("canvas digits", () => CanvasDigits.Render().First(count)));
        sets.Add(("prior noise", () =>
        {
            using var g = new Generator(7);
            using var held = new Runtime.HeldScalars();
            return model.Prior.Sample(count, CPU, g).clamp(held.Of(-1), held.Of(1));
        }));

        var rows = new List<OutOfDistributionRow>();
        foreach (var (name, images) in sets)
        {
            Tensor x;
            try { x = images(); }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                report?.Invoke($"{name} left out: {e.Message}");
                continue;
            }
            if (x.shape[0] == 0) { x.Dispose(); report?.Invoke($"{name} left out: no images"); continue; }
            report?.Invoke($"{name}: {x.shape[0]} images");
            using (x)
            {
                var (distance, gap) = score.Raw(x);
                rows.Add(new OutOfDistributionRow(name, distance.Length, distance.Average(),
                    RocCurve.Of(dataDistance, distance), RocCurve.Of(dataGap, gap)));
            }
        }
        return rows;
    }
}
