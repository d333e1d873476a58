using Ign.Normalization;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>How far one image is from the data, as f sees it: how much f moves it, how much f moves that again,
/// and where the first stands among held-out data images (100 = farther than every one of them).</summary>
public sealed record ImageScore(double Distance, double IdempotenceGap, double Percentile);

/// <summary>
/// An out-of-distribution score IGN gives for free: data are fixed points of f, so an image far from the data moves
/// under f. Distance = mean |f(x) − x| over pixels; idempotence gap = mean |f(f(x)) − f(x)|. Calibrated on held-out
/// data images: the percentile of an image's distance among theirs.
/// </summary>
public sealed class DistanceScore
{
    private readonly TrainedModel model;
    private readonly NormMode norm;
    private readonly double[] calibration; // held-out data images' distances, ascending

    public DistanceScore(TrainedModel model, Tensor heldOut, NormMode norm = NormMode.Auto, int batchSize = 256)
    {
        (this.model, this.norm) = (model, norm);
        calibration = Raw(heldOut, batchSize).Distance.Order().ToArray();
        if (calibration.Length == 0) throw new ArgumentException("calibration needs at least one held-out image");
    }

    /// <summary>The held-out images' distances, ascending (the calibration).</summary>
    public IReadOnlyList<double> Calibration => calibration;

    /// <summary>Scores of (N, C, H, W) images in [-1, 1].</summary>
    public ImageScore[] Score(Tensor images, int batchSize = 256)
    {
        var (distance, gap) = Raw(images, batchSize);
        return distance.Select((d, i) => new ImageScore(d, gap[i], Percentile(d))).ToArray();
    }

    /// <summary>100 × the fraction of held-out data images whose distance is below <paramref name="distance"/>
    /// (ties count half).</summary>
    public double Percentile(double distance)
    {
        int below = LowerBound(distance), notAbove = UpperBound(distance);
        return 100.0 * (below + 0.5 * (notAbove - below)) / calibration.Length;
    }

    /// <summary>Per image: mean |f(x) − x| and mean |f(f(x)) − f(x)|, in batches so one image never depends on
    /// more than its batch (and, with per-input statistics, on nothing else).</summary>
    public (double[] Distance, double[] Gap) Raw(Tensor images, int batchSize = 256)
    {
        var distance = new List<double>();
        var gap = new List<double>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var x = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)).to(model.Device);
            var outputs = model.Project(x, known: null, [1, 2], norm);                // f(x), f(f(x)): (b, C, H, W)
            distance.AddRange(PerImage(outputs[0] - x));
            gap.AddRange(PerImage(outputs[1] - outputs[0]));
        }
        return (distance.ToArray(), gap.ToArray());
    }

    /// <summary>Mean |difference| per image: (b, ...) → b numbers.</summary>
    public static double[] PerImage(Tensor difference) =>
        difference.abs().flatten(1).mean([1L]).to(ScalarType.Float64).cpu().data<double>().ToArray();

    private int LowerBound(double value)
    {
        int lo = 0, hi = calibration.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (calibration[mid] < value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private int UpperBound(double value)
    {
        int lo = 0, hi = calibration.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (calibration[mid] <= value) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
