using Ign.IO;
using Ign.Training;

namespace Ign.Tests.Training;

/// <summary>The presets are seed 002 plus what each says it changes (measured in docs/quality.md).</summary>
public class PresetTests
{
    [Fact]
    public void Quick_is_seed002_on_a_small_net_for_six_epochs_with_a_higher_learning_rate_and_tightness_weight_and_nothing_else()
    {
        var quick = TrainConfig.FromPreset("quick");
        Assert.Equal((32, 6, 3e-4, 5f), (quick.BaseWidth, quick.Epochs, quick.LearningRate, quick.Objective.LambdaTight));
        var seed002 = TrainConfig.FromPreset("seed002");
        Assert.Equal(Json.Serialize(seed002), Json.Serialize(quick with
        {
            Preset = "seed002", BaseWidth = 64, Epochs = 50, LearningRate = 1e-4,
            Objective = quick.Objective with { LambdaTight = seed002.Objective.LambdaTight },
        }));
    }

    [Fact]
    public void Tuned_is_seed002_with_the_tightness_weight_doubled_and_a_decay_over_its_last_5_of_20_epochs_and_nothing_else()
    {
        var tuned = TrainConfig.FromPreset("tuned");
        var seed002 = TrainConfig.FromPreset("seed002");
        Assert.Equal((20, 2 * seed002.Objective.LambdaTight), (tuned.Epochs, tuned.Objective.LambdaTight));
        Assert.Equal((LearningRateSchedule.Cosine, 3510L, 0.1), (tuned.LrSchedule, tuned.LrDecayFrom, tuned.LrFloor)); // 15 epochs of 234 steps
        Assert.Equal(1e-4, tuned.LearningRateAt(3510, 4680), 12);
        Assert.Equal(1e-5, tuned.LearningRateAt(4679, 4680), 12);
        Assert.Equal(Json.Serialize(seed002), Json.Serialize(tuned with
        {
            Preset = "seed002", Epochs = 50, Objective = tuned.Objective with { LambdaTight = seed002.Objective.LambdaTight },
            LrSchedule = LearningRateSchedule.Constant, LrDecayFrom = 0,
        }));
    }

    [Fact]
    public void Emoji64_is_the_recipe_of_the_shipped_emoji_model_at_its_length()
    {
        var preset = TrainConfig.FromPreset("emoji64");
        string? path = ProgramFiles.Find(Path.Combine("models", "ign-emoji.ckpt"));   // the build copies models/
        Assert.NotNull(path);
        using var shipped = TrainedModel.Load(path, TorchSharp.torch.CPU);
        var trained = shipped.Config;                      // trained with --steps 10600 (= 200 epochs of 53 steps)
        Assert.Equal(trained.MaxSteps, preset.Epochs * (3408 / preset.BatchSize));  // 3 408 training emoji
        Assert.Equal(Json.Serialize(preset), Json.Serialize(trained with
        {
            Epochs = preset.Epochs, MaxSteps = preset.MaxSteps, Threads = preset.Threads, Device = preset.Device,
            Seed = preset.Seed, KeepCheckpointsAt = preset.KeepCheckpointsAt,   // which run of the recipe, not the recipe
        }));
    }

    [Fact]
    public void Every_described_preset_can_be_built_and_validates()
    {
        foreach (string name in TrainConfig.PresetDescriptions.Keys)
        {
            var config = TrainConfig.FromPreset(name);
            Assert.Equal(name, config.Preset);
            config.Validate();
        }
        Assert.Throws<ArgumentException>(() => TrainConfig.FromPreset("seed003"));
    }
}
