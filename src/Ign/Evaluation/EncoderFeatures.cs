using System.Globalization;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// The 128 outputs of an autoencoder's encoder as the feature space of a data set without a classifier: features, no
/// classes.
/// </summary>
public sealed class EncoderFeatures(ImageEncoder encoder, AutoencoderHeader header, string path, int batchSize = 500)
    : IFeatureSpace
{
    public string Description { get; } =
        $"the 128 outputs of a convolutional autoencoder's encoder trained on {header.Dataset} " +
        $"(`{Path.GetFileName(path)}`: width {header.Width}, " +
        $"{header.Epochs} epochs, test reconstruction error mean |g(e(x)) − x| " +
        $"{header.TestReconstructionError.ToString("F4", CultureInfo.InvariantCulture)})";

    public (Tensor Features, Tensor? Classes) Run(Tensor images) // (N, C, S, S) -> (N, 128), null
    {
        if (images.dim() != 4
            || images.shape[1] != header.Channels
            || images.shape[2] != header.ImageSize
            || images.shape[3] != header.ImageSize)
            throw new ArgumentException(
                $"{path}: the encoder reads (N, {header.Channels}, {header.ImageSize}, {header.ImageSize}) images, " +
                $"got [{string.Join(", ", images.shape)}]");
        using var _ = no_grad();
        var features = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            // (n, 128)
            features.Add(encoder
                .forward(images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)).to(float32))
                .MoveToOuterDisposeScope());
        }
        var result = cat(features, 0);
        foreach (var t in features) t.Dispose();
        return (result, null);
    }
}
