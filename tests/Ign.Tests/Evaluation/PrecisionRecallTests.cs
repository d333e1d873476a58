using Ign.Evaluation;
using static TorchSharp.torch;

namespace Ign.Tests.Evaluation;

public class PrecisionRecallTests
{
    [Fact]
    public void A_set_against_itself_has_precision_and_recall_one()
    {
        manual_seed(5);
        var x = randn(600, 8);
        var (precision, recall) = PrecisionRecall.Compute(x, x.clone(), k: 3, chunk: 128);
        Assert.Equal(1.0, precision);
        Assert.Equal(1.0, recall);
    }

    [Fact]
    public void Far_away_samples_have_precision_and_recall_zero()
    {
        manual_seed(6);
        var (precision, recall) = PrecisionRecall.Compute(randn(300, 4), randn(300, 4) + 100, k: 3);
        Assert.Equal(0.0, precision);
        Assert.Equal(0.0, recall);
    }

    [Fact]
    public void Collapsed_samples_are_precise_but_cover_little()
    {
        manual_seed(7);
        var real = randn(1000, 2);
        var collapsed = randn(1000, 2) * 0.05; // every sample near the mode
        var (precision, recall) = PrecisionRecall.Compute(real, collapsed, k: 3);
        Assert.True(precision > 0.95, $"precision {precision}");
        Assert.True(recall < 0.2, $"recall {recall}");
    }

    [Fact]
    public void The_kth_neighbour_distance_skips_the_point_itself()
    {
        var points = tensor(new float[] { 0, 1, 3, 7 }, [4, 1]);
        var radii = PrecisionRecall.KthNeighbourDistance(points, k: 1);
        Assert.Equal(new float[] { 1, 1, 2, 4 }, radii.data<float>().ToArray());
    }
}
