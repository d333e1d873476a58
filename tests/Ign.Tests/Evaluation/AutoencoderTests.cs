using Ign.Data;
using Ign.Evaluation;
using static TorchSharp.torch;

namespace Ign.Tests.Evaluation;

public class AutoencoderTests
{
    /// <summary>n colour images on a light background, each with a square of its own colour: something an autoencoder can learn in a few steps.</summary>
    public static ImageDataset Squares(int n, int size, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[n * 3 * size * size];
        for (int i = 0; i < n; i++)
        {
            int x0 = random.Next(size / 2), y0 = random.Next(size / 2);
            for (int c = 0; c < 3; c++)
            {
                byte colour = (byte)random.Next(256);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        pixels[((i * 3 + c) * size + y) * size + x] = x >= x0 && x < x0 + size / 2 && y >= y0 && y < y0 + size / 2 ? colour : (byte)230;
            }
        }
        return new ImageDataset("squares", pixels, n, 3, size, size);
    }

    public static (ConvAutoencoder Model, AutoencoderHeader Header) Tiny(ImageDataset data, int steps)
    {
        var model = AutoencoderTrainer.Train(data, new AutoencoderTrainer.Options(Width: 4, BatchSize: 8, LearningRate: 5e-3, MaxSteps: steps), CPU);
        var header = new AutoencoderHeader
        {
            Dataset = data.Name, Channels = data.Channels, ImageSize = data.Height, Width = 4, Epochs = 1, Seed = 0, TrainImages = data.Count,
            TestReconstructionError = AutoencoderTrainer.ReconstructionError(model, data, CPU),
        };
        return (model, header);
    }

    [Fact]
    public void The_encoder_maps_images_to_128_features_and_the_decoder_maps_them_back()
    {
        using var model = new ConvAutoencoder(3, 64, 4);
        using var x = rand(2, 3, 64, 64) * 2 - 1;  // (2, 3, 64, 64)
        using var features = model.Encoder.forward(x);
        using var y = model.forward(x);
        Assert.Equal([2L, 128], features.shape);
        Assert.Equal([2L, 3, 64, 64], y.shape);
        Assert.True(y.abs().max().item<float>() <= 1);
        Assert.Throws<ArgumentException>(() => new ConvAutoencoder(1, 28, 4));
    }

    [Fact]
    public void A_few_training_steps_lower_the_reconstruction_error()
    {
        var data = Squares(32, 16);
        var (untrained, _) = Tiny(data, 0);
        var (trained, _) = Tiny(data, 30);
        using (untrained) using (trained)
        {
            double before = AutoencoderTrainer.ReconstructionError(untrained, data, CPU), after = AutoencoderTrainer.ReconstructionError(trained, data, CPU);
            Assert.True(after < 0.7 * before, $"reconstruction error {before:F4} → {after:F4}");
        }
    }

    [Fact]
    public void An_encoder_file_loads_back_with_the_same_features_and_header()
    {
        var data = Squares(16, 16);
        var (model, header) = Tiny(data, 3);
        using var _ = model;
        string path = Path.Combine(TestData.TempDir(), "squares-ae.ign");
        AutoencoderFile.Save(path, model.Encoder, header);
        var (encoder, loaded) = AutoencoderFile.Load(path, CPU);
        using (encoder)
        {
            Assert.Equal(header with { CreatedUtc = loaded.CreatedUtc }, loaded);
            using var x = data.First(4);
            var (features, classes) = new EncoderFeatures(encoder, loaded, path).Run(x);
            using var expected = model.Encoder.forward(x);
            Assert.Null(classes);
            Assert.True(features.Same(expected));
            Assert.Contains("autoencoder's encoder trained on squares (`squares-ae.ign`", new EncoderFeatures(encoder, loaded, path).Description);
        }
    }

    [Fact]
    public void Bad_encoder_files_are_one_line_errors()
    {
        string dir = TestData.TempDir();
        var missing = Assert.Throws<FileNotFoundException>(() => AutoencoderFile.Load(Path.Combine(dir, "none.ign"), CPU, "emoji"));
        Assert.Contains("ign encoder train --dataset emoji", missing.Message);

        var notEncoder = Assert.Throws<InvalidDataException>(() => AutoencoderFile.Load(ClassifierFile.DefaultPath(), CPU));
        Assert.Contains("not an image encoder (format 'ign-mnist-classifier')", notEncoder.Message);

        var (model, header) = Tiny(Squares(8, 16), 0);
        using var _ = model;
        string wrongShape = Path.Combine(dir, "wrong.ign");
        AutoencoderFile.Save(wrongShape, model.Encoder, header with { Width = 8 });
        Assert.Contains("has shape", Assert.Throws<InvalidDataException>(() => AutoencoderFile.Load(wrongShape, CPU)).Message);

        string garbage = Path.Combine(dir, "garbage.ign");
        File.WriteAllText(garbage, "not a tensor archive");
        foreach (var e in new Exception[] { missing, notEncoder, Assert.Throws<InvalidDataException>(() => AutoencoderFile.Load(garbage, CPU)) })
            Assert.Single(e.Message.Split('\n'));
    }
}
