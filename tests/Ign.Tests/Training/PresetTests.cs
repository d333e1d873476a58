using Ign.IO;
using Ign.Training;

namespace Ign.Tests.Training;

/// <summary>The presets say what they change: the default is seed 002 with one measured change (docs/quality.md).</summary>
public class PresetTests
{
    [Fact]
    public void Tuned_is_seed002_with_a_tripled_learning_rate_and_nothing_else()
    {
        var tuned = TrainConfig.FromPreset("tuned");
        Assert.Equal(3e-4, tuned.LearningRate);
        Assert.Equal(Json.Serialize(TrainConfig.FromPreset("seed002")), Json.Serialize(tuned with { Preset = "seed002", LearningRate = 1e-4 }));
    }

    [Fact]
    public void Quick_is_the_tuned_recipe_on_a_small_net_for_six_epochs()
    {
        var quick = TrainConfig.FromPreset("quick");
        Assert.Equal(Json.Serialize(TrainConfig.FromPreset("tuned") with { Preset = "quick" }),
                     Json.Serialize(quick with { BaseWidth = 64, Epochs = 50 }));
        Assert.Equal(32, quick.BaseWidth);
        Assert.Equal(6, quick.Epochs);
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
