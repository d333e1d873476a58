using Ign.Benchmarks;
using Ign.Data;
using Ign.Models;
using Ign.Objective;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Tests.Models;

public class Dcgan64Tests
{
    /// <summary>n random colour 64×64 images.</summary>
    private static ImageDataset ColourImages(int n = 16)
    {
        var pixels = new byte[n * 3 * 64 * 64];
        new Random(7).NextBytes(pixels);
        return new ImageDataset("colour", pixels, n, 3, 64, 64);
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(8, 3)]
    [InlineData(6, 1)]
    public void Maps_images_to_images_of_the_same_shape_in_tanh_range(int width, int channels)
    {
        manual_seed(1);
        using var f = ModelFactory.Create("dcgan64", channels, 64, width);
        var y = f.forward(randn(2, channels, 64, 64));
        Assert.Equal([2L, channels, 64, 64], y.shape);
        Assert.True(y.abs().max().item<float>() <= 1);
    }

    [Fact]
    public void Width_64_is_the_papers_network_of_about_14_million_parameters_and_432_MFLOP()
    {
        using var f = new Dcgan64(3, 64);
        long parameters = f.parameters().Sum(p => p.numel());
        Assert.InRange(parameters, 13_800_000, 14_000_000);
        // 2 FLOP per multiply-add: each side 3·64·16·32² + 3 · 2^25 + 512²·16 MACs
        Assert.Equal(2.0 * 2 * (3 * 64 * 16 * 1024 + 3 * 33_554_432 + 512 * 512 * 16), FlopCounter.ForwardFlopsPerImage(f, [3, 64, 64]));
    }

    [Fact]
    public void Other_sizes_and_names_fail_with_one_line()
    {
        Assert.Contains("needs 64×64 images, got 28×28", Assert.Throws<ArgumentException>(() => ModelFactory.Create("dcgan64", 3, 28, 8)).Message);
        Assert.Contains("--model dcgan64", Assert.Throws<ArgumentException>(() => ModelFactory.Create("dcgan-mnist", 3, 64, 8)).Message);
        Assert.Equal(64, ModelFactory.ImageSize("dcgan64"));
        Assert.Equal((64, 3), (ModelFactory.ImageSize("dcgan64-gn"), ModelFactory.UsualChannels("dcgan64-gn")));
        Assert.Contains("needs 64×64 images", Assert.Throws<ArgumentException>(() => ModelFactory.Create("dcgan64-gn", 3, 28, 8)).Message);
    }

    [Fact]
    public void Matmul_point_layers_compute_the_plain_convolutions()
    {
        manual_seed(3);
        using var f = new Dcgan64(3, 8);
        f.eval();
        var x = rand(3, 3, 64, 64) * 2 - 1;
        var fast = f.forward(x);
        f.PointLayersAsMatmul = false;
        var plain = f.forward(x);
        Assert.True((fast - plain).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void One_IGN_step_updates_the_weights_with_finite_losses()
    {
        var config = TrainConfig.FromPreset("seed002") with { Model = "dcgan64", BaseWidth = 8, BatchSize = 4, MaxSteps = 1, Prior = Ign.Priors.PriorKind.Spectral, SampleCount = 4, Objective = ObjectiveConfig.Paper };
        var data = ColourImages();
        using var trainer = new Trainer(config, data, TestData.TempDir());
        var before = trainer.Network.parameters().First().clone();
        using var x = data.First(4);
        var losses = trainer.TrainStep(x);
        Assert.True(new[] { losses.Total, losses.Reconstruction, losses.Idempotence, losses.Tightness }.All(float.IsFinite));
        Assert.False(before.Same(trainer.Network.parameters().First()));
    }

    [Fact]
    public void A_run_writes_a_recalibrated_model_that_loads_and_samples()
    {
        var config = TrainConfig.FromPreset("seed002") with { Model = "dcgan64", BaseWidth = 4, BatchSize = 4, MaxSteps = 2, Prior = Ign.Priors.PriorKind.Spectral, SampleCount = 4, RecalibrateBatchNorm = 2 };
        string dir = TestData.TempDir();
        using (var trainer = new Trainer(config, ColourImages(), dir)) trainer.Run();
        Assert.True(File.Exists(Path.Combine(dir, "samples.png")));
        using var model = TrainedModel.Load(Path.Combine(dir, "model.ckpt"), CPU);
        Assert.Equal((3, 64), (model.Channels, model.ImageSize));
        Assert.NotNull(model.NormStatistics);
        using var z = model.Prior.Sample(2, CPU);
        var outputs = Sampler.Iterate(model.Network, z, [1, 2], NormMode.Running, model.NormStatistics, InputKind.Noise);
        Assert.Equal([2L, 3, 64, 64], outputs[1].shape);
    }
}
