using Ign.Objective;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

public class OffDataTrainingTests
{
    [Fact]
    public void The_off_data_batch_is_the_first_rows_of_x_and_their_corruption_by_the_step_s_kind()
    {
        var x = rand(8, 1, 28, 28) * 2 - 1;
        manual_seed(5);
        var batch = TrainingCorruptions.Take(x, 0.5, step: 9);
        manual_seed(5);
        var expected = TrainingCorruptions.OffDataCycle[9 % TrainingCorruptions.OffDataCycle.Count].Apply(x.narrow(0, 0, 4));
        Assert.True(batch.Clean.Same(x.narrow(0, 0, 4)));
        Assert.True(batch.Corrupted.Same(expected));
        Assert.False(batch.Corrupted.Same(batch.Clean));
        Assert.Equal(1, TrainingCorruptions.Take(x, 0.01, step: 0).Clean.shape[0]); // at least one row
        // the last of the cycle erases a square to the background, as inpainting starts its holes
        var erased = TrainingCorruptions.Take(x, 1, step: TrainingCorruptions.OffDataCycle.Count - 1);
        Assert.Equal(8 * 10 * 10, erased.Corrupted.eq(-1).sum().item<long>());          // x itself holds no -1
    }

    [Fact]
    public void Off_data_terms_are_logged_and_change_the_step_and_bad_settings_are_refused()
    {
        LossValues Second(float restore, float offIdem, float projected = 0)
        {
            var config = TrainConfig.FromPreset("tiny") with
            {
                MaxSteps = 2,
                Objective = TrainConfig.FromPreset("tiny").Objective with
                {
                    LambdaRestore = restore, LambdaOffDataIdem = offIdem, LambdaRestoreProjected = projected,
                },
            };
            using var trainer = new Trainer(config, TestData.RandomImages(), TestData.TempDir());
            trainer.TrainStep(TestData.RandomImages().Batch([0, 1, 2, 3, 4, 5, 6, 7], CPU));
            return trainer.TrainStep(TestData.RandomImages().Batch([8, 9, 10, 11, 12, 13, 14, 15], CPU));
        }

        var plain = Second(0, 0);
        var both = Second(20, 20);
        Assert.Equal(0, plain[LossTerms.Restoration]);
        Assert.Equal(0, plain[LossTerms.OffDataIdempotence]);
        Assert.True(both[LossTerms.Restoration] > 0 && both[LossTerms.OffDataIdempotence] > 0 && both.AllFinite);
        Assert.NotEqual(plain.Reconstruction, both.Reconstruction);          // the first step's update differed
        // λ_p alone: f(c) is a constant, yet restoration is still logged beside the term, and the step changes
        var projected = Second(0, 0, 20);
        Assert.True(projected[LossTerms.RestorationOfProjection] > 0 && projected[LossTerms.Restoration] > 0);
        Assert.Equal(0, plain[LossTerms.RestorationOfProjection]);
        Assert.NotEqual(plain.Reconstruction, projected.Reconstruction);
        Assert.Contains("(0, 1]", Assert.Throws<ArgumentException>(() =>
            (TrainConfig.FromPreset("tiny") with { OffDataFraction = 0 }).Validate()).Message);
    }

    [Fact]
    public void A_fine_tune_starts_from_the_checkpoint_s_weights_at_step_0_with_a_fresh_optimizer()
    {
        var dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 2, RecalibrateBatchNorm = 0 };
        using (var first = new Trainer(config, TestData.RandomImages(), dir)) first.Run();

        using var tuned = new Trainer(config with { InitFrom = Path.Combine(dir, "checkpoint.ckpt"), Seed = 3 },
            TestData.RandomImages(), TestData.TempDir());
        using var saved = Checkpoint.Load(Path.Combine(dir, "checkpoint.ckpt"));
        foreach (var (name, value) in tuned.Network.state_dict())
            Assert.True(value.Same(saved.ModelState[name]), name);
        Assert.Equal(0, tuned.Step);
        Assert.Equal(0, tuned.Optimizer.Step);

        var other = TrainConfig.FromPreset("tiny") with { BaseWidth = 16, InitFrom = Path.Combine(dir, "checkpoint.ckpt") };
        Assert.Contains("has shape", Assert.Throws<InvalidDataException>(() =>
            new Trainer(other, TestData.RandomImages(), TestData.TempDir())).Message);
        Assert.Contains("no such checkpoint", Assert.Throws<ArgumentException>(() =>
            new Trainer(config with { InitFrom = "/nonexistent/model.ckpt" }, TestData.RandomImages(),
                TestData.TempDir())).Message);
    }

    [Fact]
    public void A_fine_tune_resumes_after_the_checkpoint_it_started_from_is_gone()
    {
        var source = TestData.TempDir();
        var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 2, RecalibrateBatchNorm = 0 };
        using (var first = new Trainer(config, TestData.RandomImages(), source)) first.Run();
        string start = Path.Combine(source, "start.ckpt");
        File.Move(Path.Combine(source, "checkpoint.ckpt"), start);

        var run = TestData.TempDir();
        var tune = config with { InitFrom = start, MaxSteps = 1 };
        using (var tuned = new Trainer(tune, TestData.RandomImages(), run)) tuned.Run();
        File.Delete(start);
        using var checkpoint = Checkpoint.Load(Path.Combine(run, "checkpoint.ckpt"));
        using var resumed = new Trainer(tune with { MaxSteps = 2 }, TestData.RandomImages(), run, checkpoint);
        resumed.Run();
        Assert.Equal(2, resumed.Step);
    }
}
