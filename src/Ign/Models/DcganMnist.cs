using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>
/// The seed-002 DCGAN-like network for 28×28 images: an encoder to a 512×1×1 code and a mirrored
/// decoder ending in Tanh. No convolution has a bias. With baseWidth c the encoder widths are
/// c, 2c, 4c, 8c, 8c and the decoder's 8c, 4c, 2c, c, c/2 (c = 64 is the seed: about 5.55 M parameters).
/// The normalisation layers keep their seed names (bn1...) when GroupNorm replaces BatchNorm.
/// </summary>
public sealed class DcganMnist : CodeNetwork
{
    /// <param name="groupNorm">GroupNorm (statistics per image) instead of BatchNorm: no batch dependence at
    /// sampling.</param>
    /// <param name="classes">how it is conditioned on a class (null or 0: unconditional; see
    /// <see cref="CodeNetwork"/>)</param>
    public DcganMnist(int channels = 1, int baseWidth = 64, bool groupNorm = false, ClassOptions? classes = null)
        : base(nameof(DcganMnist), baseWidth)
    {
        Module<Tensor, Tensor> BatchNorm2d(long features) => NormLayers.Create(features, groupNorm);
        int c = baseWidth, code = 8 * c;
        Sequential Encoder() => Sequential(
            ("conv1", Conv2d(channels, c, 4, stride: 2, padding: 1, bias: false)),          // (B, c, 14, 14)
            ("drop1", Dropout2d(0.1)), ("act1", LeakyReLU(0.2, inplace: true)),
            ("bn2", BatchNorm2d(c)),
            ("conv2", Conv2d(c, 2 * c, 4, stride: 2, padding: 1, bias: false)),             // (B, 2c, 7, 7)
            ("drop2", Dropout2d(0.1)), ("act2", LeakyReLU(0.2, inplace: true)),
            ("bn3", BatchNorm2d(2 * c)),
            ("conv3", Conv2d(2 * c, 4 * c, 3, bias: false)),                                // (B, 4c, 5, 5)
            ("drop3", Dropout2d(0.1)), ("act3", LeakyReLU(0.2, inplace: true)),
            ("bn4", BatchNorm2d(4 * c)),
            ("conv4", Conv2d(4 * c, 8 * c, 3, bias: false)),                                // (B, 8c, 3, 3)
            ("drop4", Dropout2d(0.1)), ("act4", LeakyReLU(0.2, inplace: true)),
            ("conv5", Conv2d(8 * c, code, 3, bias: false)));                                // (B, 8c, 1, 1)
        encoder = Encoder();
        Sequential Decoder() => Sequential(
            ("bn1", BatchNorm2d(code)),
            ("deconv1", ConvTranspose2d(code, code / 2, 3, bias: false)),                   // (B, 4c, 3, 3)
            ("drop1", Dropout2d(0.1)), ("act1", ReLU(inplace: true)),
            ("bn2", BatchNorm2d(code / 2)),
            ("deconv2", ConvTranspose2d(code / 2, code / 4, 3, bias: false)),               // (B, 2c, 5, 5)
            ("drop2", Dropout2d(0.1)), ("act2", ReLU(inplace: true)),
            ("bn3", BatchNorm2d(code / 4)),
            ("deconv3", ConvTranspose2d(code / 4, code / 8, 3, bias: false)),               // (B, c, 7, 7)
            ("drop3", Dropout2d(0.1)), ("act3", ReLU(inplace: true)),
            ("bn4", BatchNorm2d(code / 8)),
            // (B, c/2, 14, 14)
            ("deconv4", ConvTranspose2d(code / 8, code / 16, 4, stride: 2, padding: 1, bias: false)),
            ("drop4", Dropout2d(0.1)), ("act4", ReLU(inplace: true)),
            ("deconv5", ConvTranspose2d(code / 16, channels, 4, stride: 2, padding: 1, bias: false)), // (B, C, 28, 28)
            ("tanh", Tanh()));
        decoder = Decoder();
        Finish(classes ?? ClassOptions.None, Encoder, Decoder);
        NormLayers.StartGroupNorms(this);
    }
}
