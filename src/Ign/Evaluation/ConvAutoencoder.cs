using Ign.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Evaluation;

/// <summary>
/// The feature network for data without a classifier: four k4 s2 p1 convolutions from (B, C, S, S) down to
/// (B, 8w, S/16, S/16), flattened, then a Linear layer to 128 features. Inputs in [-1, 1].
/// </summary>
public sealed class ImageEncoder : Module<Tensor, Tensor>
{
    public const int FeatureCount = 128;
    private readonly Sequential layers;

    public ImageEncoder(int channels, int imageSize, int width) : base(nameof(ImageEncoder))
    {
        ConvAutoencoder.CheckShape(channels, imageSize, width);
        int map = imageSize / 16;
        layers = Sequential(
            // (B, w, S/2, S/2)
            ("conv1", Conv2d(channels, width, 4, stride: 2, padding: 1)), ("act1", LeakyReLU(0.2)),
            // (B, 2w, S/4, S/4)
            ("conv2", Conv2d(width, 2 * width, 4, stride: 2, padding: 1)), ("act2", LeakyReLU(0.2)),
            // (B, 4w, S/8, S/8)
            ("conv3", Conv2d(2 * width, 4 * width, 4, stride: 2, padding: 1)), ("act3", LeakyReLU(0.2)),
            // (B, 8w, S/16, S/16)
            ("conv4", Conv2d(4 * width, 8 * width, 4, stride: 2, padding: 1)), ("act4", LeakyReLU(0.2)),
            // (B, 8w·(S/16)²)
            ("flatten", Flatten()),
            ("fc", Linear(8 * width * map * map, FeatureCount)));                                          // (B, 128)
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => LayerForward.Run(layers, x); // (B, C, S, S) -> (B, 128)
}

/// <summary>
/// The encoder's mirror: Linear from 128 features to (B, 8w, S/16, S/16), four transposed convolutions up to (B, C, S,
/// S), Tanh.
/// </summary>
public sealed class ImageDecoder : Module<Tensor, Tensor>
{
    private readonly int width, map;
    private readonly Linear fc;
    private readonly Sequential layers;

    public ImageDecoder(int channels, int imageSize, int width) : base(nameof(ImageDecoder))
    {
        ConvAutoencoder.CheckShape(channels, imageSize, width);
        (this.width, map) = (width, imageSize / 16);
        fc = Linear(ImageEncoder.FeatureCount, 8 * width * map * map);
        layers = Sequential(
            ("act0", LeakyReLU(0.2)),
            // (B, 4w, S/8, S/8)
            ("deconv1", ConvTranspose2d(8 * width, 4 * width, 4, stride: 2, padding: 1)), ("act1", LeakyReLU(0.2)),
            // (B, 2w, S/4, S/4)
            ("deconv2", ConvTranspose2d(4 * width, 2 * width, 4, stride: 2, padding: 1)), ("act2", LeakyReLU(0.2)),
            // (B, w, S/2, S/2)
            ("deconv3", ConvTranspose2d(2 * width, width, 4, stride: 2, padding: 1)), ("act3", LeakyReLU(0.2)),
            // (B, C, S, S)
            ("deconv4", ConvTranspose2d(width, channels, 4, stride: 2, padding: 1)), ("out", Tanh()));
        RegisterComponents();
    }

    public override Tensor forward(Tensor features) // (B, 128) -> (B, C, S, S)
    {
        using var h = fc.forward(features);                       // (B, 8w·(S/16)²)
        using var grid = h.view(-1, 8 * width, map, map);          // (B, 8w, S/16, S/16)
        return LayerForward.Run(layers, grid);
    }
}

/// <summary>Encoder and decoder trained together on reconstruction; only the encoder is kept for evaluation.</summary>
public sealed class ConvAutoencoder : Module<Tensor, Tensor>
{
    private readonly ImageEncoder encoder;
    private readonly ImageDecoder decoder;

    public ConvAutoencoder(int channels, int imageSize, int width) : base(nameof(ConvAutoencoder))
    {
        encoder = new ImageEncoder(channels, imageSize, width);
        decoder = new ImageDecoder(channels, imageSize, width);
        RegisterComponents();
    }

    public ImageEncoder Encoder => encoder;
    public ImageDecoder Decoder => decoder;

    public override Tensor forward(Tensor x) // (B, C, S, S) -> (B, C, S, S)
    {
        using var features = encoder.forward(x); // (B, 128)
        return decoder.forward(features);
    }

    public static void CheckShape(int channels, int imageSize, int width)
    {
        if (channels is < 1 or > 4)
            throw new ArgumentException($"the autoencoder reads 1 to 4 channels, got {channels}");
        if (imageSize < 16 || imageSize % 16 != 0)
            throw new ArgumentException(
                $"the autoencoder needs square images whose size is a multiple of 16, got {imageSize}");
        if (width is < 1 or > 256)
            throw new ArgumentException($"the autoencoder's width must be between 1 and 256, got {width}");
    }
}
