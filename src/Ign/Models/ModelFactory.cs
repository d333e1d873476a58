using Ign.Numerics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>Builds the network named in a config; the one place that maps names to architectures.</summary>
public static class ModelFactory
{
    public static readonly string[] Names = ["dcgan-mnist", "dcgan-mnist-gn", "dcgan64", "dcgan64-gn"];

    /// <summary>The network, its convolutions checked on this CPU (<see cref="ConvolutionGuard.Inspect"/>).</summary>
    /// <param name="classes">how it is conditioned on a class (null: unconditional)</param>
    public static Module<Tensor, Tensor> Create(string name, int channels, int imageSize, int baseWidth,
        ClassOptions? classes = null)
    {
        var network = Build(name, channels, imageSize, baseWidth, classes);
        ConvolutionGuard.Inspect(network, channels, imageSize, $"{name} width {baseWidth}");
        return network;
    }

    /// <summary>The network alone, unchecked: for matching names and shapes, not for running.</summary>
    internal static Module<Tensor, Tensor> Build(string name, int channels, int imageSize, int baseWidth,
        ClassOptions? classes = null) => name switch
    {
        "dcgan-mnist" when imageSize == 28 => new DcganMnist(channels, baseWidth, false, classes),
        "dcgan-mnist-gn" when imageSize == 28 => new DcganMnist(channels, baseWidth, true, classes),
        "dcgan64" when imageSize == 64 => new Dcgan64(channels, baseWidth, false, classes),
        "dcgan64-gn" when imageSize == 64 => new Dcgan64(channels, baseWidth, true, classes),
        _ when Names.Contains(name) => throw new ArgumentException(
            $"model '{name}' needs {ImageSize(name)}×{ImageSize(name)} images, got {imageSize}×{imageSize}"
            + $"{(imageSize == 64 ? " (for 64×64 data use --model dcgan64 or --preset emoji64)" : "")}"),
        _ => throw new ArgumentException($"unknown model '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>The image size an architecture is built for: the size picture folders are resized to.</summary>
    public static int ImageSize(string name) => name.StartsWith("dcgan64", StringComparison.Ordinal) ? 64 : 28;

    /// <summary>
    /// The channels of the data an architecture was made for (1: MNIST, 3: colour), for benchmarks on synthetic images.
    /// </summary>
    public static int UsualChannels(string name) => ImageSize(name) == 64 ? 3 : 1;
}
