using Ign.Data;
using Ign.Models;
using Ign.Tests.Data;
using Ign.Training;
using SkiaSharp;

namespace Ign.Tests.Training;

public class DatasetSelectionTests
{
    [Fact]
    public void The_emoji64_preset_trains_dcgan64_on_the_embedded_emoji()
    {
        var config = TrainConfig.FromPreset("emoji64");
        config.Validate();
        Assert.Equal(("emoji", "dcgan64", Ign.Priors.PriorKind.Spectral, 64), (config.Dataset, config.Model, config.Prior, config.BatchSize));
        var train = config.LoadTrainingSet();
        Assert.Equal((3408, 3, 64, 64), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Equal(378, config.LoadTestSet().Count);
        using var f = ModelFactory.Create(config.Model, train.Channels, train.Height, config.BaseWidth);
    }

    [Fact]
    public void A_picture_folder_is_resized_to_the_models_size_and_nine_tenths_train()
    {
        string folder = Path.Combine(TestData.TempDir(), "faces");
        for (int i = 0; i < 20; i++)
            PictureFiles.Solid(Path.Combine(folder, $"{i:D6}.jpg"), 178, 218, new SKColor((byte)(i * 12), 100, 50), SKEncodedImageFormat.Jpeg); // CelebA's layout
        var lines = new List<string>();
        var config = TrainConfig.FromPreset("seed002") with { Dataset = "folder", DataPath = folder, Model = "dcgan64" };
        config.Validate();
        var train = config.LoadTrainingSet(lines.Add);
        Assert.Equal((18, 3, 64, 64), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Contains(lines, l => l.Contains("decoding 20 pictures"));
        Assert.Contains(lines, l => l.Contains("faces: 20 images of 3×64×64") && l.Contains("cached in"));
        lines.Clear();
        Assert.Equal(2, config.LoadTestSet(lines.Add).Count);
        Assert.Contains(lines, l => l.Contains("read from the cache"));
        var small = (config with { Model = "dcgan-mnist" }).LoadTrainingSet();                       // the 28×28 net gets 28×28 pictures
        Assert.Equal((3, 28), (small.Channels, small.Height));
    }

    [Theory]
    [InlineData("folder", null, "dataset 'folder' needs --data PATH")]
    [InlineData("idx", null, "dataset 'idx' needs --data PATH")]
    [InlineData("cifar", null, "unknown dataset 'cifar' (known: mnist, fashion-mnist, emoji, folder, idx)")]
    public void Bad_selections_fail_validation_with_one_line(string dataset, string? path, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => (TrainConfig.FromPreset("seed002") with { Dataset = dataset, DataPath = path }).Validate());
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_picture_folder_is_one_line_naming_it()
    {
        string missing = Path.Combine(TestData.TempDir(), "no-such-folder");
        var e = Assert.Throws<DirectoryNotFoundException>(() => (TrainConfig.FromPreset("seed002") with { Dataset = "folder", DataPath = missing, Model = "dcgan64" }).LoadTrainingSet());
        Assert.Equal($"{missing}: image folder not found", e.Message);
    }

    [Fact]
    public void Fashion_mnist_comes_from_debians_package_or_says_how_to_install_it()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load(Split.Train, Path.Combine(TestData.TempDir(), "absent")));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var config = TrainConfig.FromPreset("seed002") with { Dataset = "fashion-mnist" };
        if (Directory.Exists(FashionMnist.DebianFolder))
            Assert.Equal(60000, config.LoadTrainingSet().Count);
        else
            Assert.Contains("sudo apt-get install dataset-fashion-mnist", Assert.Throws<DirectoryNotFoundException>(() => config.LoadTrainingSet()).Message);
    }
}
