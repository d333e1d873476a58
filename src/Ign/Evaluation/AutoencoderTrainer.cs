using TorchSharp;
using Ign.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Evaluation;

/// <summary>
/// Trains <see cref="ConvAutoencoder"/> on a data set's training images: Adam on the mean squared reconstruction error.
/// </summary>
public static class AutoencoderTrainer
{
    /// <param name="MaxSteps">Stop after this many batches (tests); null trains every epoch.</param>
    public sealed record Options(int Epochs = 4, int Width = 16, int BatchSize = 64, double LearningRate = 1e-3,
        int Seed = 0, int? MaxSteps = null);

    public static ConvAutoencoder Train(ImageDataset train, Options options, Device device,
        IProgress<(int Epoch, int Step, int StepsPerEpoch, float Loss)>? progress = null)
    {
        if (train.Height != train.Width)
            throw new ArgumentException(
                $"{train.Name}: the autoencoder needs square images, got {train.Height}×{train.Width}");
        manual_seed(options.Seed);
        var random = new Random(options.Seed);
        var model = new ConvAutoencoder(train.Channels, train.Height, options.Width);
        model.to(device).train();
        using var adam = optim.Adam(model.parameters(), options.LearningRate);
        int batchSize = Math.Min(options.BatchSize, train.Count);
        MiniBatchLoop.Run(train.Count, batchSize, options.Epochs, random, adam, indices =>
        {
            var x = train.Batch(indices, device);                                              // (B, C, S, S)
            return functional.mse_loss(model.forward(x), x);
        }, progress, reportEvery: 10, maxSteps: options.MaxSteps);
        model.eval();
        return model;
    }

    /// <summary>Mean |g(e(x)) − x| per pixel over a whole set, pixels in [-1, 1].</summary>
    public static double ReconstructionError(ConvAutoencoder model, ImageDataset set, Device device,
        int batchSize = 256)
    {
        using var _ = no_grad();
        double sum = 0;
        for (int start = 0; start < set.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            // (n, C, S, S)
            var x = set.Batch(Enumerable.Range(start, Math.Min(batchSize, set.Count - start)).ToArray(), device);
            sum += (model.forward(x) - x).abs().sum().item<float>();
        }
        return sum / ((double)set.Count * set.PixelsPerImage);
    }
}
