using Ign.Priors;
using static TorchSharp.torch;

namespace Ign.Tests.Priors;

public class SpectralPriorTests
{
    /// <summary>Structured images: a smooth random field plus a bright square, so the spectrum is far from white.</summary>
    private static Tensor StructuredImages(int n)
    {
        manual_seed(5);
        var field = nn.functional.avg_pool2d(randn(n, 1, 32, 32), 5, stride: 1); // (n, 1, 28, 28), low-pass noise
        var square = zeros(1, 1, 28, 28);
        square[.., .., 8..16, 10..20] = 1.0f;
        return (field * 2 + square).tanh();
    }

    private static (Tensor MeanR, Tensor MeanI, Tensor StdR, Tensor StdI) Stats(Tensor images)
    {
        var s = fft.fft2(images.to(float64));
        return (s.real.mean([0L]), s.imag.mean([0L]), s.real.std([0L]), s.imag.std([0L]));
    }

    [Fact]
    public void Samples_have_the_data_per_frequency_means_and_standard_deviations()
    {
        var data = StructuredImages(4000);
        using var prior = SpectralPrior.Fit(data, chunk: 1000);
        manual_seed(9);
        var samples = prior.Sample(20000, CPU);
        Assert.Equal([20000L, 1, 28, 28], samples.shape);

        var (dmr, dmi, dsr, dsi) = Stats(data);
        var (smr, smi, ssr, ssi) = Stats(samples);
        double scale = dsr.mean().item<double>();
        // Means: within 5 standard errors (std/√20000) of the data's, frequency by frequency.
        Assert.True(((smr - dmr).abs() - 5 * dsr / Math.Sqrt(20000)).max().item<double>() < 1e-6 * scale, $"real means differ: worst excess {((smr - dmr).abs() - 5 * dsr / Math.Sqrt(20000)).max().item<double>()}, at {((smr - dmr).abs() - 5 * dsr / Math.Sqrt(20000)).argmax().item<long>()}, scale {scale}");
        Assert.True(((smi - dmi).abs() - 5 * dsi / Math.Sqrt(20000)).max().item<double>() < 1e-6 * scale, "imaginary means differ");
        // Standard deviations, frequency by frequency, within 5 % (relative) where the data has any spread.
        var relR = ((ssr - dsr).abs() / (dsr + 0.01 * scale)).max().item<double>();
        var relI = ((ssi - dsi).abs() / (dsi + 0.01 * scale)).max().item<double>();
        Assert.True(relR < 0.05, $"real-part std off by {relR:P1}");
        Assert.True(relI < 0.05, $"imaginary-part std off by {relI:P1}");
        // A white Gaussian prior would not pass: its spectrum is flat.
        var (_, _, wsr, _) = Stats(randn(20000, 1, 28, 28));
        Assert.True(((wsr - dsr).abs() / (dsr + 0.01 * scale)).max().item<double>() > 0.5);
    }

    [Fact]
    public void An_unseeded_sample_is_the_documented_transform_of_two_draws_of_the_global_generator()
    {
        using var prior = SpectralPrior.Fit(StructuredImages(200), chunk: 100);
        var stats = prior.Statistics;
        manual_seed(4);
        var sample = prior.Sample(6, CPU);                                              // (6, 1, 28, 28)
        manual_seed(4);
        var noise = complex(randn(6, 1, 28, 28) * stats[SpectralPrior.StdReal], randn(6, 1, 28, 28) * stats[SpectralPrior.StdImag]);
        var mirrored = roll(noise.flip(-2, -1), [1, 1], [-2, -1]).conj();               // ε(-k)*
        var scale = full(28, 28, 1 / Math.Sqrt(2));
        foreach (var (u, v) in new[] { (0, 0), (0, 14), (14, 0), (14, 14) }) scale[u, v] = 0.5;
        var spectrum = complex(stats[SpectralPrior.MeanReal], stats[SpectralPrior.MeanImag]) + (noise + mirrored) * scale;
        var expected = fft.ifft2(spectrum).real;
        Assert.True((sample - expected).abs().max().item<float>() < 1e-5, "the draw or its transform changed");
        // a seeded draw comes from its generator alone, whatever the global one did in between
        var first = prior.Sample(6, CPU, new TorchSharp.torch.Generator(11));
        manual_seed(99);
        var second = prior.Sample(6, CPU, new TorchSharp.torch.Generator(11));
        Assert.True(first.eq(second).all().item<bool>());
        Assert.False(first.eq(sample).all().item<bool>());
    }

    [Fact]
    public void Statistics_round_trip_through_the_dictionary_a_checkpoint_saves()
    {
        using var prior = SpectralPrior.Fit(StructuredImages(200));
        PriorRoundTrip.AssertRestoresIdentically(prior, 1, 28, 28);
    }

    [Fact]
    public void Missing_statistics_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => PriorFactory.Restore("spectral", 1, 28, 28, new Dictionary<string, Tensor>()));
        Assert.Contains("mean_real", ex.Message);
    }

    [Fact]
    public void Gaussian_prior_is_standard_normal_per_pixel()
    {
        using var prior = new GaussianPrior(1, 28, 28);
        manual_seed(1);
        var z = prior.Sample(2000, CPU);
        Assert.Equal(0, z.mean().item<float>(), 2);
        Assert.Equal(1, z.std().item<float>(), 2);
    }
}
