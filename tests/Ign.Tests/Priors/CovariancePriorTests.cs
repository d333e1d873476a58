using Ign.Priors;
using static TorchSharp.torch;

namespace Ign.Tests.Priors;

public class CovariancePriorTests
{
    /// <summary>Images whose pixels are strongly correlated and position-dependent: low-pass noise plus a bright square, and a constant black border.</summary>
    private static Tensor StructuredImages(int n, int size = 12)
    {
        manual_seed(3);
        var field = nn.functional.avg_pool2d(randn(n, 1, size + 2, size + 2), 3, stride: 1); // (n, 1, size, size)
        var images = field * 2;
        images[.., .., 3..6, 4..8] += 1.5f;
        images[.., .., 0, ..] = -1f;                                                      // zero variance: a singular Σ
        return images;
    }

    private static (Tensor Mean, Tensor Covariance) Moments(Tensor images)
    {
        var x = images.reshape(images.shape[0], -1).to(float64); // (N, D)
        var mu = x.mean([0L]);
        var centred = x - mu;
        return (mu, centred.t().mm(centred) / (x.shape[0] - 1));
    }

    [Fact]
    public void Samples_have_the_data_pixel_mean_and_covariance()
    {
        var data = StructuredImages(6000);
        using var prior = CovariancePrior.Fit(data, chunk: 1000);
        using var generator = new Generator(7);
        var samples = prior.Sample(40000, CPU, generator);
        Assert.Equal([40000L, 1, 12, 12], samples.shape);

        var (dataMean, dataCov) = Moments(data);
        var (sampleMean, sampleCov) = Moments(samples);
        double scale = dataCov.diagonal().max().item<double>();
        Assert.True((sampleMean - dataMean).abs().max().item<double>() < 0.03 * Math.Sqrt(scale), "means differ");
        double covError = (sampleCov - dataCov).abs().max().item<double>();
        Assert.True(covError < 0.04 * scale, $"covariances differ by {covError / scale:P1} of the largest variance");
        // the constant border stays constant: the factor carries no variance there
        Assert.True((samples[.., .., 0, ..] + 1).abs().max().item<float>() < 1e-4);
        // a white prior with the same per-pixel variances would not pass: neighbours co-vary in the data
        var neighbour = dataCov[5 * 12 + 5, 5 * 12 + 6].item<double>() / dataCov[5 * 12 + 5, 5 * 12 + 5].item<double>();
        Assert.True(neighbour > 0.3, $"the test data should correlate neighbours, correlation {neighbour:F2}");
        Assert.Equal(neighbour, sampleCov[5 * 12 + 5, 5 * 12 + 6].item<double>() / sampleCov[5 * 12 + 5, 5 * 12 + 5].item<double>(), 1);
    }

    [Fact]
    public void Statistics_round_trip_through_the_dictionary_a_checkpoint_saves()
    {
        var data = StructuredImages(300);
        using var prior = CovariancePrior.Fit(data);
        PriorRoundTrip.AssertRestoresIdentically(prior, 1, 12, 12);
        Assert.True(prior.Mean(CPU).allclose(data.mean([0L]), atol: 1e-5));
    }

    [Fact]
    public void Images_too_large_for_a_full_covariance_are_refused_with_the_alternative()
    {
        var ex = Assert.Throws<ArgumentException>(() => CovariancePrior.Fit(zeros(4, 3, 64, 64)));
        Assert.Contains("at most 4096 values", ex.Message);
        Assert.Contains("--prior spectral", ex.Message);
    }

    [Fact]
    public void Missing_or_misshapen_statistics_are_rejected()
    {
        Assert.Contains("factor", Assert.Throws<ArgumentException>(() =>
            PriorFactory.Restore("covariance", 1, 4, 4, new Dictionary<string, Tensor> { ["mean"] = zeros(1, 4, 4) })).Message);
        Assert.Contains("(D, D) factor", Assert.Throws<ArgumentException>(() =>
            PriorFactory.Restore("covariance", 1, 4, 4, new Dictionary<string, Tensor> { ["mean"] = zeros(1, 4, 4), ["factor"] = zeros(15, 15) })).Message);
    }
}
