using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ign.Numerics;

/// <summary>
/// libtorch's own kernel on a problem it gets right: the same convolution with both channel counts padded with zeros
/// to a multiple of <see cref="Block"/> (zero input channels and zero weights add nothing; the extra output channels
/// are cut off). On the CPUs where oneDNN is wrong for some channel counts (docs/numerics.md) this keeps a shape on
/// the fast kernels at the cost of the padded channels, where unfold + matmul costs far more. Autograd differentiates
/// through the padding and the cut as usual, so gradients reach only the real weights and inputs.
/// </summary>
public static class PaddedConvolution
{
    /// <summary>
    /// Channel counts are padded up to a multiple of this. On the Zen 5 CPU of docs/numerics.md, blocks of 16 left
    /// dcgan64 width 40's four wrong shapes wrong; blocks of 32 (and 64) made all four right.
    /// </summary>
    public const long Block = 32; // cached Padded verdicts hold for this block: raise ConvolutionCheck.Version with it

    /// <summary>
    /// The most work the padded problem may cost, relative to the real one: beyond it (an image's 1 or 3 channels
    /// padded to 32), unfold + matmul is the cheaper detour.
    /// </summary>
    public const double MaxCost = 2.0;

    public static long Padded(long channels) => (channels + Block - 1) / Block * Block;

    /// <summary>
    /// Whether this shape is worth padding: ungrouped, changed by the padding, and at most <see cref="MaxCost"/> times
    /// the multiply-adds.
    /// </summary>
    public static bool Applies(ConvShape shape) => shape.Groups == 1 && Cost(shape) is > 1 and <= MaxCost;

    /// <summary>Multiply-adds of the padded problem over those of the real one.</summary>
    public static double Cost(ConvShape shape) =>
        (double)(Padded(shape.InChannels) * Padded(shape.OutChannels)) / (shape.InChannels * shape.OutChannels);

    public static Tensor Apply(ConvShape shape, Tensor x, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        var padded = shape with { InChannels = Padded(shape.InChannels), OutChannels = Padded(shape.OutChannels) };
        long extraIn = padded.InChannels - shape.InChannels, extraOut = padded.OutChannels - shape.OutChannels;
        var input = extraIn == 0 ? x : F.pad(x, [0, 0, 0, 0, 0, extraIn]);                 // (B, in', H, W)
        long[] weightPadding = shape.Kind == ConvKind.Convolution
            ? [0, 0, 0, 0, 0, extraIn, 0, extraOut]                                           // (out', in', kh, kw)
            : [0, 0, 0, 0, 0, extraOut, 0, extraIn];                                          // (in', out', kh, kw)
        var paddedBias = bias is null ? null : F.pad(bias, [0, extraOut]);                   // (out')
        // libtorch's kernel through the one seam that calls it; the check vouches for the padded problem
        var y = ConvolutionCheck.Apply(padded, ConvPath.Libtorch, input, F.pad(weight, weightPadding), paddedBias);
        return y.narrow(1, 0, shape.OutChannels).MoveToOuterDisposeScope();                   // (B, out, Ho, Wo)
    }
}
