using static Ign.Tests.Cli.CliRunner;
using Ign.Cli;
using Ign.Training;
using Ign.Normalization;

namespace Ign.Tests.Cli;

[Collection("console")]
public class RecipeCliTests
{

    [Fact]
    public void Train_takes_every_recipe_option_and_records_it()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "3", "--out", dir, "--ema", "0.9", "--tight-warmup", "2",
                                "--lr-schedule", "cosine", "--lr-floor", "0.2", "--recalibrate-bn", "2",
                                "--lambda-rec", "10", "--lambda-idem", "15", "--lambda-tight", "5");
        Assert.True(code == 0, error);
        using var model = Checkpoint.Load(Path.Combine(dir, "model.ckpt"));
        var c = model.Header.Config;
        Assert.Equal((0.9, 2, LearningRateSchedule.Cosine, 0.2, 2), (c.EmaDecay, c.TightnessWarmup, c.LrSchedule, c.LrFloor, c.RecalibrateBatchNorm));
        Assert.Equal((10f, 15f, 5f), (c.Objective.LambdaRec, c.Objective.LambdaIdem, c.Objective.LambdaTight));
        Assert.Equal("ema", model.Header.Weights);
        Assert.Equal(2, model.Header.BatchNormRecalibrated);
        Assert.NotNull(model.NormStatistics); // one set per kind of input travels with the model
        Assert.Contains("\"emaDecay\": 0.9", File.ReadAllText(Path.Combine(dir, "config.json")));
    }

    /// <summary>Trains 2 tiny steps, checks that resuming with <paramref name="refused"/> fails naming
    /// <paramref name="hint"/>, then resumes with <paramref name="accepted"/> and returns the checkpoint it wrote.</summary>
    private static Checkpoint RefusedThenAcceptedOnResume(string[] refused, string hint, string[] accepted)
    {
        string dir = TestData.TempDir();
        Assert.Equal(0, Run("train", "--preset", "tiny", "--steps", "2", "--out", dir).Code);
        var (code, error) = Run(["train", "--resume", dir, .. refused]);
        Assert.Equal(1, code);
        Assert.Contains(hint, error);
        (code, error) = Run(["train", "--resume", dir, .. accepted]);
        Assert.True(code == 0, error);
        return Checkpoint.Load(Path.Combine(dir, "checkpoint.ckpt"));
    }

    [Fact]
    public void A_late_tightness_factor_is_recorded_and_refused_on_resume_where_it_would_rewrite_trained_steps()
    {
        using var c = RefusedThenAcceptedOnResume(["--steps", "3", "--tight-late-from", "1", "--tight-late-factor", "2"], "already trained",
                                                  ["--steps", "3", "--tight-late-from", "2", "--tight-late-factor", "2"]);
        Assert.Equal((3L, 2L, 2.0), (c.Header.Step, c.Header.Config.TightnessLateFrom, c.Header.Config.TightnessLateFactor));
    }

    [Fact]
    public void The_mean_matching_term_is_recorded_and_refused_on_resume_where_it_would_rewrite_trained_steps()
    {
        using var c = RefusedThenAcceptedOnResume(["--steps", "3", "--lambda-mean", "50"], "--mean-from 2",
                                                  ["--steps", "3", "--lambda-mean", "50", "--mean-from", "2"]);
        Assert.Equal((3L, 50f, 2L), (c.Header.Step, c.Header.Config.Objective.LambdaMean, c.Header.Config.MeanMatchFrom));
    }

    [Fact]
    public void Projection_terms_are_recorded_and_refused_on_resume_where_they_would_rewrite_trained_steps()
    {
        using var c = RefusedThenAcceptedOnResume(["--steps", "3", "--lambda-restore-projected", "5"],
            "--projection-terms-from 2",
            ["--steps", "3", "--lambda-restore-projected", "5", "--lambda-rec-twice", "5", "--projection-terms-from", "2"]);
        var trained = c.Header.Config;
        Assert.Equal((3L, 5f, 5f, 2L), (c.Header.Step, trained.Objective.LambdaRestoreProjected,
                                         trained.Objective.LambdaRecTwice, trained.ProjectionTermsFrom));
    }

    [Fact]
    public void A_learning_rate_decay_may_be_added_on_resume_only_from_the_checkpoint_s_step_on()
    {
        using var c = RefusedThenAcceptedOnResume(["--steps", "4", "--lr-schedule", "cosine"], "--lr-decay-from 2",
                                                  ["--steps", "4", "--lr-schedule", "cosine", "--lr-decay-from", "2", "--lr-floor", "0.5"]);
        Assert.Equal((4L, LearningRateSchedule.Cosine, 2L, 0.5), (c.Header.Step, c.Header.Config.LrSchedule, c.Header.Config.LrDecayFrom, c.Header.Config.LrFloor));
        Assert.Equal(0.5e-4, c.Header.Config.LearningRateAt(3, 4), 12); // the run's last step is at the floor
        string cosineRun = TestData.TempDir(); // a run that already decays cannot change its schedule
        Assert.Equal(0, Run("train", "--preset", "tiny", "--steps", "2", "--lr-schedule", "cosine", "--out", cosineRun).Code);
        Assert.Equal(1, Run("train", "--resume", cosineRun, "--steps", "4", "--lr-floor", "0.5").Code);
    }

    [Fact]
    public void Kept_checkpoints_and_the_choice_of_weights_allow_comparisons_at_equal_steps()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "3", "--out", dir, "--ema", "0.5", "--keep-at", "2");
        Assert.True(code == 0, error);
        string kept = Path.Combine(dir, "checkpoint-step000002.ckpt");
        using (var checkpoint = Checkpoint.Load(kept)) Assert.Equal(2, checkpoint.Header.Step);
        string live = Path.Combine(dir, "live.ckpt"), average = Path.Combine(dir, "average.ckpt");
        Assert.Equal(0, Run("export", "--checkpoint", kept, "--out", live, "--weights", "live").Code);
        Assert.Equal(0, Run("export", "--checkpoint", kept, "--out", average).Code);
        using var liveModel = Checkpoint.Load(live);
        using var averageModel = Checkpoint.Load(average);
        Assert.Equal(("live", "ema"), (liveModel.Header.Weights, averageModel.Header.Weights));
        Assert.False(liveModel.ModelState["encoder.conv1.weight"].allclose(averageModel.ModelState["encoder.conv1.weight"]));
        (code, error) = Run("export", "--checkpoint", live, "--out", Path.Combine(dir, "x.ckpt"), "--weights", "ema");
        Assert.Equal(1, code);
        Assert.Contains("no weight average", error);
        (code, error) = Run("train", "--preset", "tiny", "--out", TestData.TempDir(), "--keep-at", "2,x");
        Assert.Equal(1, code);
        Assert.Contains("--keep-at", error);
        (code, error) = Run("train", "--preset", "tiny", "--out", TestData.TempDir(), "--lambda-tight", "-1");
        Assert.Equal(1, code);
        Assert.Contains("loss weights", error);
    }

    [Fact]
    public void Average_writes_the_mean_of_a_runs_kept_checkpoints_with_statistics_for_it_and_nothing_on_a_refusal()
    {
        string dir = TestData.TempDir(), averaged = Path.Combine(dir, "averaged.ckpt");
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "4", "--out", dir, "--ema", "0.5",
            "--keep-at", "2,3");
        Assert.True(code == 0, error);
        string[] kept = ["checkpoint-step000002.ckpt", "checkpoint-step000003.ckpt", "checkpoint.ckpt"];

        (code, error) = Run(["average", "--checkpoints", .. kept.Select(k => Path.Combine(dir, k)),
            "--weights", "ema", "--recalibrate-bn", "2", "--out", averaged]);

        Assert.True(code == 0, error);
        var (again, summary) = CaptureOut(() => Ign.Cli.IgnCli.Run(["average", "--checkpoints",
            .. kept.Select(k => Path.Combine(dir, k)), "--recalibrate-bn", "0", "--out", Path.Combine(dir, "b.ckpt")]));
        Assert.Equal(0, again);
        Assert.Contains("steps 2, 3, 4", summary);
        using (var model = Checkpoint.Load(averaged))
        {
            Assert.Equal((4L, "ema", 2), (model.Header.Step, model.Header.Weights, model.Header.BatchNormRecalibrated));
            Assert.Equal(3, model.Header.AveragedFrom!.Length);
            Assert.EndsWith("step 2 ema", model.Header.AveragedFrom[0]);
            Assert.NotNull(model.NormStatistics);
        }
        Assert.Equal(0, Run("generate", "--checkpoint", averaged, "--count", "2",
            "--out", Path.Combine(dir, "averaged.png")).Code);
        string refused = Path.Combine(dir, "refused.ckpt");
        (code, error) = Run("average", "--checkpoints", Path.Combine(dir, "checkpoint.ckpt"), TinyModelOfWidth(16),
            "--out", refused);
        Assert.Equal(1, code);
        Assert.Contains("another network", error);
        Assert.False(File.Exists(refused));
    }

    private static string TinyModelOfWidth(int width)
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "1", "--width", width.ToString(), "--out", dir);
        Assert.True(code == 0, error);
        return Path.Combine(dir, "model.ckpt");
    }

    [Fact]
    public void The_groupnorm_model_trains_and_exports_with_recalibration_as_a_no_op()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "2", "--out", dir, "--model", "dcgan-mnist-gn");
        Assert.True(code == 0, error);
        (code, error) = Run("export", "--checkpoint", Path.Combine(dir, "checkpoint.ckpt"), "--out", Path.Combine(dir, "small.ckpt"), "--recalibrate-bn", "2");
        Assert.True(code == 0, error);
        using var loaded = TrainedModel.Load(Path.Combine(dir, "small.ckpt"), TorchSharp.torch.CPU);
        Assert.Equal("dcgan-mnist-gn", loaded.Config.Model);
    }

    [Fact]
    public void Exported_statistics_of_a_kind_of_image_are_what_a_projection_of_that_kind_uses()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "2", "--out", dir, "--image-kinds", "sketch");
        Assert.True(code == 0, error);
        using (var trained = TrainedModel.Load(Path.Combine(dir, "model.ckpt"), TorchSharp.torch.CPU))
            Assert.Equal(["sketch"], trained.NormStatistics!.ImageKinds);                  // ign train's own
        string model = Path.Combine(dir, "kinds.ckpt");
        (code, error) = Run("export", "--checkpoint", Path.Combine(dir, "checkpoint.ckpt"), "--out", model,
            "--recalibrate-bn", "2", "--image-kinds", "lowres:size=7, sketch");
        Assert.True(code == 0, error);
        using (var loaded = TrainedModel.Load(model, TorchSharp.torch.CPU))
            Assert.Equal(["lowres", "sketch"], loaded.NormStatistics!.ImageKinds);
        string Projected(params string[] more)
        {
            string png = Path.Combine(dir, $"p{more.Length}.png");
            var (c, e) = Run(["project", "--checkpoint", model, "--from-test", "2", "--out", png, .. more]);
            Assert.True(c == 0, e);
            return File.ReadAllText(Path.ChangeExtension(png, ".json"));
        }
        Assert.Contains("\"inputKind\": \"lowres\"", Projected("--corrupt", "lowres:size=4"));
        Assert.Contains("\"inputKind\": \"image\"", Projected("--corrupt", "lowres:4", "--input-kind", "image"));
        Assert.Contains("\"inputKind\": \"image\"", Projected());
    }

    [Theory]
    [InlineData("--ema", "1.5", "EMA decay")]
    [InlineData("--lr-schedule", "step", "schedule")]
    [InlineData("--model", "resnet", "unknown model")]
    [InlineData("--tight-warmup", "-1", "warm-up")]
    public void Bad_recipe_options_give_one_line(string option, string value, string expected)
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--out", dir, option, value);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "checkpoint.ckpt")));
    }
}
