using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>Builds the network named in a config; the one place that maps names to architectures.</summary>
public static class ModelFactory
{
    public static readonly string[] Names = ["dcgan-mnist"];

    public static Module<Tensor, Tensor> Create(string name, int channels, int imageSize, int baseWidth) => name switch
    {
        "dcgan-mnist" when imageSize == 28 => new DcganMnist(channels, baseWidth),
        "dcgan-mnist" => throw new ArgumentException($"model 'dcgan-mnist' needs 28×28 images, got {imageSize}×{imageSize}"),
        _ => throw new ArgumentException($"unknown model '{name}' (known: {string.Join(", ", Names)})"),
    };
}
