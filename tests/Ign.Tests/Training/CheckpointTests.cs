using Ign.IO;
using Ign.Models;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

public class CheckpointTests
{
    private static string TrainedCheckpoint()
    {
        string dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("seed002") with { BaseWidth = 4, BatchSize = 8, MaxSteps = 2, SampleCount = 4, Prior = Ign.Priors.PriorKind.Spectral };
        using var trainer = new Trainer(config, TestData.RandomImages(), dir);
        trainer.Run();
        return Path.Combine(dir, "checkpoint.ckpt");
    }

    [Fact]
    public void A_config_written_before_a_field_existed_reads_as_that_time_s_default_not_today_s()
    {
        string path = TrainedCheckpoint();
        var (header, tensors) = TensorArchive.Load(path);
        var json = System.Text.Json.Nodes.JsonNode.Parse(header)!;
        var config = json["config"]!.AsObject();
        foreach (var key in new[] { "preset", "epochs", "lrSchedule", "lrDecayFrom", "objective" }) config.Remove(key);
        string old = Path.Combine(TestData.TempDir(), "old.ckpt");
        TensorArchive.Save(old, json.ToJsonString(), tensors);
        using var c = Checkpoint.Load(old);
        var read = c.Header.Config;
        Assert.Equal(("seed002", 50, LearningRateSchedule.Constant, 0L), (read.Preset, read.Epochs, read.LrSchedule, read.LrDecayFrom));
        Assert.Equal(Ign.Objective.ObjectiveConfig.Seed002, read.Objective);
        Assert.Equal(LearningRateSchedule.Cosine, new TrainConfig().LrSchedule); // while today's default recipe decays
    }

    [Fact]
    public void A_checkpoint_holds_model_optimizer_prior_rng_config_and_step()
    {
        using var c = Checkpoint.Load(TrainedCheckpoint());
        Assert.True(c.IsResumable);
        Assert.Equal(2, c.Header.Step);
        Assert.Equal(2, c.Header.AdamStep);
        Assert.Equal("spectral", c.Header.Prior);
        Assert.Equal(4, c.Header.Config.BaseWidth);
        Assert.Equal(4, c.PriorStatistics.Count);
        Assert.Equal(new DcganMnist(baseWidth: 4).state_dict().Count, c.ModelState.Count);
        Assert.Equal(new DcganMnist(baseWidth: 4).parameters().Count(), c.AdamFirstMoments!.Length);
        Assert.True(c.AdamSecondMoments!.All(v => v.min().item<float>() >= 0));
    }

    [Fact]
    public void A_truncated_or_altered_checkpoint_is_refused_with_one_line()
    {
        string path = TrainedCheckpoint();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains("truncated or corrupt", ex.Message);
        bytes[bytes.Length / 3] ^= 0xff;
        File.WriteAllBytes(path, bytes);
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        File.WriteAllText(path, "hello");
        Assert.Contains("not an IGN checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void A_checkpoint_of_another_width_does_not_load_into_a_model()
    {
        using var c = Checkpoint.Load(TrainedCheckpoint());
        var ex = Assert.Throws<InvalidDataException>(() => TrainedModel.LoadState(new DcganMnist(baseWidth: 8), c.ModelState, "x.ckpt"));
        Assert.Contains("shape", ex.Message);
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary()
    {
        string dir = TestData.TempDir(), path = Path.Combine(dir, "file.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write([9, 9, 9, 9, 9]);
            throw new InvalidOperationException("disk on fire");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Trained_model_loads_for_generation()
    {
        using var model = TrainedModel.Load(TrainedCheckpoint(), CPU);
        Assert.Equal(28, model.ImageSize);
        Assert.Equal("spectral", model.Prior.Name);
        using var z = model.Prior.Sample(3, CPU);
        Assert.Equal([3L, 1, 28, 28], model.Network.forward(z).shape);
    }
}
