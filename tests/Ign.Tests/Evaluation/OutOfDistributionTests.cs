using Ign.Evaluation;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Evaluation;

public class OutOfDistributionTests
{
    [Fact]
    public void Roc_area_is_1_when_every_other_image_scores_higher_one_half_for_the_same_scores_and_counts_ties_half()
    {
        Assert.Equal(1.0, RocCurve.Of([0.1, 0.2, 0.3], [0.4, 0.5]).Area, 12);
        Assert.Equal(0.0, RocCurve.Of([0.4, 0.5], [0.1, 0.2, 0.3]).Area, 12);
        Assert.Equal(0.5, RocCurve.Of([0.2, 0.2], [0.2, 0.2, 0.2]).Area, 12);
        // Mann-Whitney by hand, (positive, negative) pairs: 0.3 beats 0.1, ties 0.3; 0.5 beats both; 0.2 beats 0.1
        var curve = RocCurve.Of([0.1, 0.3], [0.3, 0.5, 0.2]);
        Assert.Equal((1 + 0.5 + 1 + 1 + 1 + 0) / 6.0, curve.Area, 12);
        Assert.Equal([0.0, 1.0], new[] { curve.FalsePositiveRate[0], curve.FalsePositiveRate[^1] });
        Assert.Equal([0.0, 1.0], new[] { curve.TruePositiveRate[0], curve.TruePositiveRate[^1] });
        Assert.Throws<ArgumentException>(() => RocCurve.Of([], [0.1]));
    }

    [Fact]
    public void The_score_is_how_far_f_moves_an_image_and_its_percentile_ranks_it_among_the_calibration_images()
    {
        var dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 2, RecalibrateBatchNorm = 0 };
        using (var trainer = new Trainer(config, TestData.RandomImages(), dir)) trainer.Run();
        using var model = TrainedModel.Load(Path.Combine(dir, "model.ckpt"), CPU);
        using var calibration = TestData.RandomImages().First(20);                     // (20, 1, 28, 28)
        var score = new DistanceScore(model, calibration, Ign.Normalization.NormMode.Running);

        Assert.Equal(20, score.Calibration.Count);
        Assert.True(score.Calibration.Zip(score.Calibration.Skip(1)).All(p => p.First <= p.Second));
        Assert.Equal(0, score.Percentile(score.Calibration[0] - 1));
        Assert.Equal(100, score.Percentile(score.Calibration[^1] + 1));
        Assert.Equal(100 * 9.5 / 20, score.Percentile(score.Calibration[9]), 9);     // 9 below, itself half

        using var x = calibration.narrow(0, 0, 3);
        var scores = score.Score(x);
        var outputs = model.Project(x, null, [1, 2], Ign.Normalization.NormMode.Running);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal((outputs[0][i] - x[i]).abs().mean().item<float>(), scores[i].Distance, 5);
            Assert.Equal((outputs[1][i] - outputs[0][i]).abs().mean().item<float>(), scores[i].IdempotenceGap, 5);
            double d = scores[i].Distance;                                                // as in the batch of 20
            Assert.Contains(score.Calibration, c => Math.Abs(c - d) < 1e-6);
        }
    }
}
