using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>Classifier features and predicted classes for a stack of images, in batches, without gradient.</summary>
public sealed class FeatureExtractor(MnistClassifier classifier, int batchSize = 1000) : IFeatureSpace
{
    public MnistClassifier Classifier { get; } = classifier;
    public string Description { get; init; } = "the penultimate layer (128 units) of the MNIST classifier";

    (Tensor Features, Tensor? Classes) IFeatureSpace.Run(Tensor images) => Run(images);

    public (Tensor Features, Tensor Classes) Run(Tensor images) // (N, 1, 28, 28) -> (N, 128), (N)
    {
        if (images.dim() != 4 || images.shape[1] != 1 || images.shape[2] != 28 || images.shape[3] != 28)
            throw new ArgumentException(
                $"the MNIST classifier reads (N, 1, 28, 28) images, got [{string.Join(", ", images.shape)}]");
        using var _ = no_grad();
        var features = new List<Tensor>();
        var classes = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            // (n, 128)
            var f = Classifier.Features(
                images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)).to(float32));
            // (n)
            classes.Add(Classifier.Logits(f).argmax(1).MoveToOuterDisposeScope());
            features.Add(f.MoveToOuterDisposeScope());
        }
        var result = (cat(features, 0), cat(classes, 0));
        foreach (var t in features.Concat(classes)) t.Dispose();
        return result;
    }

    /// <summary>Fraction of images the classifier assigns to their true label.</summary>
    public double Accuracy(Tensor images, Tensor labels)
    {
        var (features, classes) = Run(images);
        using (features) using (classes)
        using (var hits = classes.eq(labels.to(classes.dtype)).to(float64).mean())
            return hits.item<double>();
    }
}
