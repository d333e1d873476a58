using Ign.Priors;
using static TorchSharp.torch;

namespace Ign.Tests.Priors;

public class SpectralPriorColourTests
{
    /// <summary>Three channels with different spectra: smooth (low-pass) red, white-noise green, almost constant blue.</summary>
    private static Tensor ColourImages(int n)
    {
        manual_seed(6);
        var smooth = nn.functional.avg_pool2d(randn(n, 1, 20, 20), 5, stride: 1) * 2;   // (n, 1, 16, 16)
        var noisy = randn(n, 1, 16, 16) * 0.5;
        var flat = full(n, 1, 16, 16, 0.3f) + randn(n, 1, 1, 1) * 0.05;
        return cat([smooth, noisy, flat], 1);                                          // (n, 3, 16, 16)
    }

    /// <summary>Per channel, the share of spectral power (minus the mean) outside the lowest frequencies.</summary>
    private static double[] HighFrequencyShare(Tensor images)
    {
        var power = fft.fft2((images - images.mean([0L], keepdim: true)).to(float64)).abs().square().mean([0L]); // (3, 16, 16)
        var low = zeros(16, 16, float64);
        foreach (int u in new[] { 0, 1, 15 }) foreach (int v in new[] { 0, 1, 15 }) low[u, v] = 1.0;
        return Enumerable.Range(0, 3).Select(c => 1 - (power[c] * low).sum().item<double>() / power[c].sum().item<double>()).ToArray();
    }

    [Fact]
    public void A_three_channel_fit_samples_each_channel_with_its_own_spectrum()
    {
        var data = ColourImages(3000);
        using var prior = SpectralPrior.Fit(data);
        Assert.Equal([3L, 16, 16], prior.Statistics[SpectralPrior.StdReal].shape);
        manual_seed(8);
        var samples = prior.Sample(3000, CPU);
        Assert.Equal([3000L, 3, 16, 16], samples.shape);

        // channel means and spreads follow their own channel
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(data[.., c].mean().item<float>(), samples[.., c].mean().item<float>(), 1);
            double dataStd = data[.., c].std().item<float>(), sampleStd = samples[.., c].std().item<float>();
            Assert.True(Math.Abs(sampleStd - dataStd) < 0.08 * dataStd + 0.005, $"channel {c}: std {sampleStd} vs data {dataStd}");
        }
        // the smooth channel stays smooth and the noisy one white: spectra are not mixed across channels
        var dataShare = HighFrequencyShare(data);
        var sampleShare = HighFrequencyShare(samples);
        for (int c = 0; c < 2; c++) Assert.True(Math.Abs(sampleShare[c] - dataShare[c]) < 0.05, $"channel {c}: high-frequency share {sampleShare[c]} vs data {dataShare[c]}");
        Assert.True(sampleShare[0] < 0.7 && sampleShare[1] > 0.9 && sampleShare[2] < 0.01, $"high-frequency shares {string.Join(", ", sampleShare)}");
        // and the mean image is the data's mean, channel by channel
        Assert.True((prior.Mean(CPU) - data.mean([0L])).abs().max().item<float>() < 1e-4, $"mean differs by {(prior.Mean(CPU) - data.mean([0L])).abs().max().item<float>()}");
    }
}
