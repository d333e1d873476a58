using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>
/// The paper's network for 64×64 images (CelebA): a DCGAN encoder of k4 s2 p1 convolutions 64→32→16→8→4 with
/// widths c, 2c, 4c, 8c and a k4 convolution to an 8c×1×1 code, and the mirrored decoder (k4 transposed
/// convolution 1→4, then k4 s2 p1 up to 64) ending in Tanh. Layers sit as in <see cref="DcganMnist"/>: no
/// biases, Dropout2d(0.1) and LeakyReLU(0.2) / ReLU after every inner convolution, BatchNorm before the next
/// one (none before the first and the last), so the seed recipe, BatchNorm recalibration and the FLOP counter
/// carry over. c = 64 is the paper's width: about 13.9 M parameters, 0.43 GFLOP per image forward. With
/// <c>groupNorm</c> GroupNorm replaces every BatchNorm, keeping its name (dcgan64-gn).
/// </summary>
public sealed class Dcgan64 : CodeNetwork
{
    /// <param name="groupNorm">GroupNorm (statistics per image) instead of BatchNorm</param>
    /// <param name="classes">how it is conditioned on a class (null or 0: unconditional; see
    /// <see cref="CodeNetwork"/>)</param>
    public Dcgan64(int channels = 3, int baseWidth = 64, bool groupNorm = false, ClassOptions? classes = null)
        : base(nameof(Dcgan64), baseWidth)
    {
        Module<Tensor, Tensor> BatchNorm2d(long features) => NormLayers.Create(features, groupNorm);
        if (channels < 1) throw new ArgumentException($"channels must be positive, got {channels}");
        int c = baseWidth, code = 8 * c;
        Sequential Encoder() => Sequential(
            ("conv1", Conv2d(channels, c, 4, stride: 2, padding: 1, bias: false)),              // (B, c, 32, 32)
            ("drop1", Dropout2d(0.1)), ("act1", LeakyReLU(0.2, inplace: true)),
            ("bn2", BatchNorm2d(c)),
            ("conv2", Conv2d(c, 2 * c, 4, stride: 2, padding: 1, bias: false)),                 // (B, 2c, 16, 16)
            ("drop2", Dropout2d(0.1)), ("act2", LeakyReLU(0.2, inplace: true)),
            ("bn3", BatchNorm2d(2 * c)),
            ("conv3", Conv2d(2 * c, 4 * c, 4, stride: 2, padding: 1, bias: false)),             // (B, 4c, 8, 8)
            ("drop3", Dropout2d(0.1)), ("act3", LeakyReLU(0.2, inplace: true)),
            ("bn4", BatchNorm2d(4 * c)),
            ("conv4", Conv2d(4 * c, 8 * c, 4, stride: 2, padding: 1, bias: false)),             // (B, 8c, 4, 4)
            ("drop4", Dropout2d(0.1)), ("act4", LeakyReLU(0.2, inplace: true)),
            ("conv5", Conv2d(8 * c, code, 4, bias: false)));                                    // (B, 8c, 1, 1)
        encoder = Encoder();
        Sequential Decoder() => Sequential(
            ("bn1", BatchNorm2d(code)),
            ("deconv1", ConvTranspose2d(code, 8 * c, 4, bias: false)),                          // (B, 8c, 4, 4)
            ("drop1", Dropout2d(0.1)), ("act1", ReLU(inplace: true)),
            ("bn2", BatchNorm2d(8 * c)),
            ("deconv2", ConvTranspose2d(8 * c, 4 * c, 4, stride: 2, padding: 1, bias: false)),  // (B, 4c, 8, 8)
            ("drop2", Dropout2d(0.1)), ("act2", ReLU(inplace: true)),
            ("bn3", BatchNorm2d(4 * c)),
            ("deconv3", ConvTranspose2d(4 * c, 2 * c, 4, stride: 2, padding: 1, bias: false)),  // (B, 2c, 16, 16)
            ("drop3", Dropout2d(0.1)), ("act3", ReLU(inplace: true)),
            ("bn4", BatchNorm2d(2 * c)),
            ("deconv4", ConvTranspose2d(2 * c, c, 4, stride: 2, padding: 1, bias: false)),      // (B, c, 32, 32)
            ("drop4", Dropout2d(0.1)), ("act4", ReLU(inplace: true)),
            ("deconv5", ConvTranspose2d(c, channels, 4, stride: 2, padding: 1, bias: false)),   // (B, C, 64, 64)
            ("tanh", Tanh()));
        decoder = Decoder();
        Finish(classes ?? ClassOptions.None, Encoder, Decoder);
        NormLayers.StartGroupNorms(this);
    }

    protected override void CheckInput(Tensor x)
    {
        if (x.dim() != 4 || x.shape[2] != 64 || x.shape[3] != 64)
            throw new ArgumentException($"dcgan64 takes (B, C, 64, 64) images, got [{string.Join(", ", x.shape)}]");
    }
}
