using Ign.Evaluation;
using static TorchSharp.torch;

namespace Ign.Tests.Evaluation;

public class FrechetDistanceTests
{
    [Fact]
    public void Identical_samples_are_at_distance_zero()
    {
        manual_seed(1);
        var x = randn(2000, 16) * 0.5 + 3;
        Assert.True(FrechetDistance.Between(x, x.clone()) < 1e-6);
    }

    [Fact]
    public void Shifted_gaussians_with_equal_covariance_are_the_squared_shift_apart()
    {
        var covariance = eye(4, dtype: float64) * 2;
        using var a = new GaussianFit(zeros(4, float64), covariance);
        using var b = new GaussianFit(tensor(new double[] { 1, 2, 0, -2 }), covariance);
        Assert.Equal(9.0, FrechetDistance.Between(a, b), 6); // |μ₁ − μ₂|² = 1 + 4 + 4
    }

    [Fact]
    public void Diagonal_covariances_follow_the_closed_form()
    {
        // For commuting (diagonal) covariances FD = |Δμ|² + Σ (σ₁ − σ₂)²
        var s1 = new double[] { 1, 4, 9 };
        var s2 = new double[] { 4, 1, 0.25 };
        using var a = new GaussianFit(tensor(new double[] { 0, 0, 1 }), diag(tensor(s1)));
        using var b = new GaussianFit(tensor(new double[] { 0, 1, 1 }), diag(tensor(s2)));
        double expected = 1 + s1.Zip(s2, (p, q) => Math.Pow(Math.Sqrt(p) - Math.Sqrt(q), 2)).Sum();
        Assert.Equal(expected, FrechetDistance.Between(a, b), 6);
    }

    [Fact]
    public void A_rotated_full_covariance_keeps_its_distance()
    {
        // FD is invariant to rotating both distributions: a dense covariance gives the diagonal answer
        manual_seed(2);
        var (q, _) = linalg.qr(randn(3, 3, float64));
        var s1 = diag(tensor(new double[] { 1, 4, 9 }));
        var s2 = diag(tensor(new double[] { 4, 1, 0.25 }));
        using var a = new GaussianFit(zeros(3, float64), q.mm(s1).mm(q.t()));
        using var b = new GaussianFit(zeros(3, float64), q.mm(s2).mm(q.t()));
        Assert.Equal(1 + 1 + 6.25, FrechetDistance.Between(a, b), 6);
    }

    [Fact]
    public void Singular_covariances_do_not_break_it()
    {
        manual_seed(3);
        var x = randn(500, 8);
        x[TensorIndex.Colon, TensorIndex.Slice(4, 8)] = zeros(500, 4); // dead units, as ReLU features have
        double d = FrechetDistance.Between(x, x + 1);
        Assert.True(double.IsFinite(d));
        Assert.Equal(8.0, d, 1); // the shift of 1 in all 8 coordinates
    }

    [Fact]
    public void Sampled_gaussians_approach_the_closed_form()
    {
        manual_seed(4);
        var a = randn(20000, 4);
        var b = randn(20000, 4) * 2 + 1;
        Assert.Equal(4 + 4 * 1.0, FrechetDistance.Between(a, b), 0); // |Δμ|² = 4, Σ(1 − 2)² = 4
    }
}
