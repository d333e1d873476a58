using static TorchSharp.torch;

namespace Ign.Training;

/// <summary>
/// A collapse alarm: how much a set of samples differs from image to image, as a fraction of how much the data does
/// (per pixel and channel, the standard deviation across the set, averaged). A run that collapses (a second emoji run
/// ended as grey silhouettes, all alike, by step 2 400) loses this first; the trainer measures it on the fixed-noise
/// samples it writes and the progress line says so, rather than letting the run spend hours.
/// </summary>
public static class SampleSpread
{
    /// <summary>Below this fraction of the data's spread the samples are called collapsing.</summary>
    public const double CollapseBelow = 0.25;

    /// <summary>Mean over pixels and channels of the standard deviation across the set.</summary>
    /// <param name="images">(N, C, H, W), N ≥ 2</param>
    public static double Of(Tensor images)
    {
        if (images.shape[0] < 2) throw new ArgumentException("a spread needs at least two images");
        using var scope = NewDisposeScope();
        return images.to(float64).std(0).mean().item<double>();
    }

    /// <summary>The samples' spread over the data's (0 when the data has none).</summary>
    public static double Relative(Tensor samples, double dataSpread) =>
        dataSpread > 0 ? Of(samples) / dataSpread : 0;

    public static bool Collapsing(double relative) => relative < CollapseBelow;
}

/// <summary>
/// When a low spread means collapse. An untrained f maps every z to nearly the same image, so the first sample grids
/// are all alike without anything being wrong (the emoji preset's first two grids: 15 and 10 % of the data's spread,
/// 71 % two grids later). The watch calls a run collapsing once its samples had variety (twice the threshold) and lost
/// it, or when the run is past its first tenth and still has none (also a resumed run, whose history is not here).
/// </summary>
public sealed class CollapseWatch(long totalSteps)
{
    private double peak;

    public bool Observe(long step, double relative)
    {
        peak = Math.Max(peak, relative);
        bool hadVariety = peak >= 2 * SampleSpread.CollapseBelow;
        bool pastStart = step * 10 >= totalSteps;
        return SampleSpread.Collapsing(relative) && (hadVariety || pastStart);
    }
}
