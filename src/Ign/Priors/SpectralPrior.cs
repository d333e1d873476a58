using Ign.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ign.Priors;

/// <summary>
/// Noise whose Fourier spectrum matches the data (paper): for every frequency and channel, the mean
/// and standard deviation of the real and imaginary parts of the training images' 2-D FFT. A sample
/// draws each part independently and keeps the real part of the inverse FFT. Keeping the real part
/// averages each frequency with its mirror (-k), which would halve the variance, so the noise is
/// symmetrised explicitly, (ε(k) + conj ε(-k)) / √2 (and Re ε at the self-mirrored frequencies),
/// and the samples' spectra then have the data's per-frequency means and standard deviations.
/// </summary>
public sealed class SpectralPrior : IPrior
{
    public const string MeanReal = "mean_real", MeanImag = "mean_imag", StdReal = "std_real", StdImag = "std_imag";

    private readonly Tensor meanReal, meanImag, stdReal, stdImag; // (C, H, W) each
    private readonly Tensor mirrorScale;                             // (H, W): 1/√2, or 1/2 where -k = k
    private readonly Dictionary<string, Tensor[]> onDevices = [];    // their copies on other devices, by device

    public string Name => "spectral";
    public IReadOnlyDictionary<string, Tensor> Statistics { get; }

    public SpectralPrior(IReadOnlyDictionary<string, Tensor> statistics)
    {
        foreach (var key in new[] { MeanReal, MeanImag, StdReal, StdImag })
            if (!statistics.ContainsKey(key)) throw new ArgumentException($"spectral prior statistics lack '{key}'");
        meanReal = statistics[MeanReal].to(float32, copy: true).DetachFromDisposeScope();
        meanImag = statistics[MeanImag].to(float32, copy: true).DetachFromDisposeScope();
        stdReal = statistics[StdReal].to(float32, copy: true).DetachFromDisposeScope();
        stdImag = statistics[StdImag].to(float32, copy: true).DetachFromDisposeScope();
        // copies: the caller (e.g. a checkpoint) may dispose its tensors
        if (meanReal.dim() != 3) throw new ArgumentException("spectral prior statistics must have shape (C, H, W)");
        Statistics = new Dictionary<string, Tensor>
        {
            [MeanReal] = meanReal, [MeanImag] = meanImag, [StdReal] = stdReal, [StdImag] = stdImag
        };
        mirrorScale = MirrorScale(meanReal.shape[1], meanReal.shape[2]).DetachFromDisposeScope();
    }

    /// <summary>Per-frequency statistics of images (N, C, H, W), accumulated in chunks in double precision.</summary>
    /// <param name="chunk">Images per FFT; by default 4096 but at most 2^24 values (a 256 MiB complex spectrum) for
    /// large colour images.</param>
    public static SpectralPrior Fit(Tensor images, int? chunk = null)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0];
        long step = chunk ?? Math.Clamp((1L << 24) / (images.shape[1] * images.shape[2] * images.shape[3]), 1, 4096);
        var shape = images.shape[1..];
        Tensor sumR = zeros(shape, float64), sumI = zeros(shape, float64),
            sqR = zeros(shape, float64), sqI = zeros(shape, float64);
        for (long start = 0; start < n; start += step)
        {
            using var inner = NewDisposeScope();
            // (b, C, H, W) complex
            var spectrum = fft.fft2(images.narrow(0, start, Math.Min(step, n - start)).to(float64).cpu());
            var re = spectrum.real; var im = spectrum.imag;
            sumR.add_(re.sum([0L])); sumI.add_(im.sum([0L]));
            sqR.add_(re.square().sum([0L])); sqI.add_(im.square().sum([0L]));
        }
        using var scalars = new HeldScalars();
        var meanR = sumR / n; var meanI = sumI / n;
        var stats = new Dictionary<string, Tensor>
        {
            [MeanReal] = meanR,
            [MeanImag] = meanI,
            [StdReal] = (sqR / n - meanR.square()).clamp_min(scalars.Of(0)).sqrt(),
            [StdImag] = (sqI / n - meanI.square()).clamp_min(scalars.Of(0)).sqrt(),
        };
        return new SpectralPrior(stats);
    }

    /// <summary>n samples on <paramref name="device"/>. An unseeded draw is made there (the statistics copied there
    /// once: on a GPU, drawing and transforming on the CPU cost about a third of an emoji training step); a seeded one
    /// on the CPU (<see cref="SeededDraws"/>), so that a seed gives the same z on every device.</summary>
    public Tensor Sample(long n, Device device, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var at = generator is null ? device : CPU;
        var (meanR, meanI, stdR, stdI, mirror) = StatisticsOn(at);
        var shape = new long[] { n }.Concat(meanReal.shape).ToArray();
        // (n, C, H, W)
        var noise = complex(SeededDraws.Normal(shape, at, generator) * stdR,
                            SeededDraws.Normal(shape, at, generator) * stdI);
        // ε(-k)*
        var mirrored = roll(noise.flip(-2, -1), [1, 1], [-2, -1]).conj();
        using var scalars = new HeldScalars();
        var spectrum = complex(meanR, meanI).add(noise.add(mirrored, scalars.Of(1)) * mirror, scalars.Of(1));
        return fft.ifft2(spectrum).real.contiguous().to(device).MoveToOuterDisposeScope(); // (n, C, H, W)
    }

    /// <summary>The statistics and the mirror scale on <paramref name="device"/>: the CPU's own, else copies made once.
    /// </summary>
    private (Tensor MeanReal, Tensor MeanImag, Tensor StdReal, Tensor StdImag, Tensor MirrorScale) StatisticsOn(
        Device device)
    {
        if (device.type == DeviceType.CPU) return (meanReal, meanImag, stdReal, stdImag, mirrorScale);
        lock (onDevices)
        {
            string key = device.ToString();
            if (!onDevices.TryGetValue(key, out var copies))
                onDevices[key] = copies = [.. new[] { meanReal, meanImag, stdReal, stdImag, mirrorScale }
                    .Select(t => t.to(device).DetachFromDisposeScope())];
            return (copies[0], copies[1], copies[2], copies[3], copies[4]);
        }
    }

    public Tensor Mean(Device device)
    {
        using var scope = NewDisposeScope();
        // (C, H, W)
        return fft.ifft2(complex(meanReal, meanImag)).real.contiguous().to(device).MoveToOuterDisposeScope();
    }

    private static Tensor MirrorScale(long height, long width)
    {
        using var scalars = new HeldScalars();
        var scale = full([height, width], scalars.Of(1 / Math.Sqrt(2)), float32);
        foreach (long u in SelfMirrored(height))
            foreach (long v in SelfMirrored(width))
                scale[u, v] = 0.5f;
        return scale;
    }

    private static IEnumerable<long> SelfMirrored(long length) => length % 2 == 0 ? [0, length / 2] : [0];

    public void Dispose()
    {
        foreach (var t in new[] { meanReal, meanImag, stdReal, stdImag, mirrorScale }) t.Dispose();
        lock (onDevices)
        {
            foreach (var t in onDevices.Values.SelectMany(copies => copies)) t.Dispose();
            onDevices.Clear();
        }
    }
}
