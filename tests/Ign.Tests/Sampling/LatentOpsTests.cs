using Ign.Sampling;
using static TorchSharp.torch;

namespace Ign.Tests.Sampling;

public class LatentOpsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Interpolation_starts_at_a_and_ends_at_b(bool spherical)
    {
        manual_seed(1);
        var a = randn(3, 1, 4, 4);
        var b = randn(3, 1, 4, 4);
        var path = LatentOps.Interpolate(a, b, 5, spherical).view(3, 5, 1, 4, 4);
        Assert.True((path.select(1, 0) - a).abs().max().item<float>() < 1e-4);
        Assert.True((path.select(1, 4) - b).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void One_point_between_is_the_same_point_of_the_path()
    {
        manual_seed(8);
        var (a, b) = (randn(2, 1, 4, 4), randn(2, 1, 4, 4));
        var path = LatentOps.Interpolate(a, b, 5, spherical: true).view(2, 5, 1, 4, 4);
        var quarter = LatentOps.Between(a, b, 0.25, spherical: true);
        Assert.True((quarter - path.select(1, 1)).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Spherical_interpolation_keeps_the_norm_of_equal_norm_ends()
    {
        manual_seed(2);
        var a = randn(1, 1, 8, 8);
        var b = randn(1, 1, 8, 8);
        b = b * (a.norm() / b.norm());
        var path = LatentOps.Interpolate(a, b, 7, spherical: true);
        var norms = path.flatten(1).norm(1);
        Assert.True((norms - a.norm()).abs().max().item<float>() < 1e-3 * a.norm().item<float>());
        var linear = LatentOps.Interpolate(a, b, 7, spherical: false).flatten(1).norm(1);
        Assert.True(linear[3].item<float>() < norms[3].item<float>()); // the straight line cuts inside the sphere
    }

    [Fact]
    public void Arithmetic_rescales_to_the_prior_spread()
    {
        manual_seed(3);
        var (a, b, c) = (randn(64, 1, 28, 28), randn(64, 1, 28, 28), randn(64, 1, 28, 28));
        Assert.True((LatentOps.Arithmetic(a, b, c, rescale: false) - (a - b + c)).abs().max().item<float>() < 1e-6);
        Assert.Equal(1.0, LatentOps.Arithmetic(a, b, c).std().item<float>(), 1);
    }

    [Fact]
    public void Halves_take_the_top_of_a_and_the_bottom_of_b()
    {
        var a = zeros(2, 1, 6, 6);
        var b = ones(2, 1, 6, 6);
        var joined = LatentOps.Halves(a, b);
        Assert.Equal(0f, joined[0, 0, 2, 5].item<float>());
        Assert.Equal(1f, joined[0, 0, 3, 0].item<float>());
        var sideBySide = LatentOps.Halves(a, b, vertical: true);
        Assert.Equal(0f, sideBySide[1, 0, 5, 2].item<float>());
        Assert.Equal(1f, sideBySide[1, 0, 0, 3].item<float>());
    }
}
