using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// How much of a set of images' energy is fine detail: the share of each image's spectral power (per channel, its
/// mean removed) at spatial frequencies above <see cref="Cutoff"/> cycles per pixel (Nyquist is 0.5), summed over the
/// set. Samples' share over the test images' share says how sharp they are: 1 as sharp as the data, below 1 blurrier
/// (blobs), above 1 noisier. A Fréchet distance in a classifier's features barely sees blur; this does.
/// </summary>
public static class Sharpness
{
    public const double Cutoff = 0.25; // cycles per pixel: details of about 4 pixels and finer

    /// <summary>The high-frequency share of the set's power, in [0, 1] (0 for constant images).</summary>
    /// <param name="images">(N, C, H, W)</param>
    public static double HighFrequencyShare(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        long h = images.shape[2], w = images.shape[3];
        var centred = images.to(float64) - images.to(float64).mean([2L, 3L], keepdim: true); // (N, C, H, W)
        var power = fft.fft2(centred).abs().square();                                         // (N, C, H, W)
        var fy = fft.fftfreq(h, dtype: float64).view(h, 1);                                   // (H, 1)
        var fx = fft.fftfreq(w, dtype: float64).view(1, w);                                   // (1, W)
        var high = (fy.square() + fx.square()).sqrt().gt(scalars.Of(Cutoff)).to(float64);     // (H, W)
        double total = power.sum().item<double>();
        return total <= 0 ? 0 : (power * high.to(power.device)).sum().item<double>() / total;
    }

    /// <summary>The samples' high-frequency share over the reference's (null when the reference has none).</summary>
    public static double? Relative(double samplesShare, double referenceShare) =>
        referenceShare > 0 ? samplesShare / referenceShare : null;
}
