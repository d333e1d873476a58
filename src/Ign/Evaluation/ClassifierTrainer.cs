using TorchSharp;
using Ign.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Evaluation;

/// <summary>
/// Trains <see cref="MnistClassifier"/>: Adam, cross-entropy, random ±2-pixel shifts so it also reads slightly
/// off-centre digits.
/// </summary>
public static class ClassifierTrainer
{
    public sealed record Options(int Epochs = 4, int BatchSize = 128, double LearningRate = 1e-3, int Seed = 0,
        int MaxShift = 2);

    public static MnistClassifier Train(ImageDataset train, Options options, Device device,
        IProgress<(int Epoch, int Step, int StepsPerEpoch, float Loss)>? progress = null)
    {
        manual_seed(options.Seed);
        var random = new Random(options.Seed);
        var model = new MnistClassifier();
        model.to(device).train();
        using var adam = optim.Adam(model.parameters(), options.LearningRate);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(adam, options.Epochs * (train.Count / options.BatchSize));
        var labels = train.Labels ?? throw new ArgumentException($"{train.Name}: the classifier needs labels");
        MiniBatchLoop.Run(train.Count, options.BatchSize, options.Epochs, random, adam, indices =>
        {
            var x = Shift(train.Batch(indices, device), random, options.MaxShift);              // (B, 1, 28, 28)
            var y = tensor(indices.Select(i => (long)labels[i]).ToArray(), int64, device);     // (B)
            return functional.cross_entropy(model.forward(x), y);
        }, progress, reportEvery: 50, afterStep: () => schedule.step());
        model.eval();
        return model;
    }

    /// <summary>
    /// Every image of the batch moved by the same random offset of up to maxShift pixels, background filling in.
    /// </summary>
    private static Tensor Shift(Tensor x, Random random, int maxShift)
    {
        if (maxShift == 0) return x;
        int dy = random.Next(-maxShift, maxShift + 1), dx = random.Next(-maxShift, maxShift + 1);
        // background is -1
        var padded = functional.pad(x, [maxShift, maxShift, maxShift, maxShift], value: -1);
        return padded.narrow(2, maxShift + dy, x.shape[2]).narrow(3, maxShift + dx, x.shape[3]);
    }

    /// <summary>Fraction of images whose predicted class is their label.</summary>
    public static double Accuracy(MnistClassifier model, ImageDataset set, Device device, int batchSize = 1000)
    {
        var labels = set.Labels ?? throw new ArgumentException($"{set.Name}: accuracy needs labels");
        using var _ = no_grad();
        long correct = 0;
        for (int start = 0; start < set.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batchSize, set.Count - start);
            var x = set.Batch(Enumerable.Range(start, n).ToArray(), device);
            var y = tensor(labels.AsSpan(start, n).ToArray().Select(v => (long)v).ToArray(), int64, device);
            correct += model.forward(x).argmax(1).eq(y).sum().item<long>();
        }
        return (double)correct / set.Count;
    }
}
