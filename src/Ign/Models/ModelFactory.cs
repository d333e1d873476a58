using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>Builds the network named in a config; the one place that maps names to architectures.</summary>
public static class ModelFactory
{
    public static readonly string[] Names = ["dcgan-mnist", "dcgan-mnist-gn"];

    public static Module<Tensor, Tensor> Create(string name, int channels, int imageSize, int baseWidth) => name switch
    {
        "dcgan-mnist" when imageSize == 28 => new DcganMnist(channels, baseWidth),
        "dcgan-mnist-gn" when imageSize == 28 => new DcganMnist(channels, baseWidth, groupNorm: true),
        "dcgan-mnist" or "dcgan-mnist-gn" => throw new ArgumentException($"model '{name}' needs 28×28 images, got {imageSize}×{imageSize}"),
        _ => throw new ArgumentException($"unknown model '{name}' (known: {string.Join(", ", Names)})"),
    };
}
