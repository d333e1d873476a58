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

    /// <summary>How colourful images are: the mean over pixels of the standard deviation across the colour channels
    /// (0 for grey pixels); null for one-channel images.</summary>
    /// <param name="images">(N, C, H, W)</param>
    public static double? ColourOf(Tensor images)
    {
        if (images.shape[1] < 3) return null;
        using var scope = NewDisposeScope();
        return images.to(float64).std(1, unbiased: false).mean().item<double>();
    }

    /// <summary>The samples' colour over the data's (null for grey data).</summary>
    public static double? RelativeColour(Tensor samples, double? dataColour) =>
        dataColour > 0 ? ColourOf(samples) / dataColour : null;
}

/// <summary>
/// When a low spread or colour means collapse. An untrained f maps every z to nearly the same image, so the first
/// sample grids are all alike without anything being wrong (the emoji preset's first two grids: 15 and 10 % of the
/// data's spread, 71 % two grids later). Colour comes later: that run's samples were grey silhouettes on white until
/// about a fifth of the run (their spread 0.7, so the spread does not see it; a collapsed emoji run stayed there). The
/// watch calls a run collapsing once its samples had variety (twice the threshold) and lost it, or when the run is
/// past its first tenth (for colour, its first third) and still has none, also a resumed run, whose history is not
/// here. Colour before the first tenth does not count as had: a healthy emoji run's early f drew colour (54 % of the
/// data's at step 159 of 10 600), went grey (4 %) until step 2 000 and then coloured for good (docs/quality.md,
/// section 34).
/// </summary>
public sealed class CollapseWatch(long totalSteps)
{
    private double peakSpread;
    private double peakColour;

    /// <summary>Why the run looks collapsed at <paramref name="step"/>, or null.</summary>
    /// <param name="spread">the samples' spread over the data's</param>
    /// <param name="colour">the samples' colour over the data's (null for grey data)</param>
    public string? Observe(long step, double spread, double? colour = null)
    {
        if (Lost(spread, ref peakSpread, pastGrace: step * 10 >= totalSteps))
            return $"the samples vary {100 * spread:F0} % as much as the data " +
                   $"(below {100 * SampleSpread.CollapseBelow:F0} %): all samples alike";
        if (colour is { } c && Lost(c, ref peakColour, pastGrace: step * 3 >= totalSteps,
                countsAsHad: step * 10 >= totalSteps))
            return $"the samples have {100 * c:F0} % of the data's colour " +
                   $"(below {100 * SampleSpread.CollapseBelow:F0} %): grey";
        return null;
    }

    private static bool Lost(double relative, ref double peak, bool pastGrace, bool countsAsHad = true)
    {
        if (countsAsHad) peak = Math.Max(peak, relative);
        return SampleSpread.Collapsing(relative) && (peak >= 2 * SampleSpread.CollapseBelow || pastGrace);
    }
}
