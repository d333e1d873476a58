using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ign.Numerics;

public enum ConvKind { Convolution, Transposed }

/// <summary>
/// One convolution problem, batch aside: what decides which kernel libtorch picks and whether that kernel is right.
/// Height and Width are the input's. Weights are laid out as libtorch's: (out, in/groups, kh, kw) for a convolution,
/// (in, out/groups, kh, kw) for a transposed one.
/// </summary>
public sealed record ConvShape(ConvKind Kind, long InChannels, long OutChannels, long KernelHeight, long KernelWidth,
    long Stride, long Padding, long Groups, long Height, long Width)
{
    public long OutputHeight => Kind == ConvKind.Convolution
        ? (Height + 2 * Padding - KernelHeight) / Stride + 1
        : (Height - 1) * Stride - 2 * Padding + KernelHeight;

    public long OutputWidth => Kind == ConvKind.Convolution
        ? (Width + 2 * Padding - KernelWidth) / Stride + 1
        : (Width - 1) * Stride - 2 * Padding + KernelWidth;

    public long[] WeightShape => Kind == ConvKind.Convolution
        ? [OutChannels, InChannels / Groups, KernelHeight, KernelWidth]
        : [InChannels, OutChannels / Groups, KernelHeight, KernelWidth];

    public long[] InputShape(long batch) => [batch, InChannels, Height, Width];

    public long[] OutputShape(long batch) => [batch, OutChannels, OutputHeight, OutputWidth];

    /// <summary>A stable text key for caches: kind, channels, kernel, stride, padding, groups, input size.</summary>
    public string Key =>
        $"{(Kind == ConvKind.Convolution ? "conv" : "deconv")}:{InChannels}:{OutChannels}" +
        $":{KernelHeight}x{KernelWidth}:s{Stride}:p{Padding}:g{Groups}:{Height}x{Width}";

    public override string ToString()
    {
        string kernel = KernelHeight == KernelWidth ? $"k{KernelHeight}" : $"k{KernelHeight}×{KernelWidth}";
        string groups = Groups == 1 ? "" : $" g{Groups}";
        return $"{(Kind == ConvKind.Convolution ? "conv" : "deconv")} {InChannels}→{OutChannels} " +
               $"{kernel} s{Stride} p{Padding}{groups} on {Height}×{Width}";
    }

    /// <summary>The problem a layer solves for this input, or null when it uses what we do not check
    /// (dilation, output padding, unequal strides or paddings, padding modes other than zeros).</summary>
    public static ConvShape? Of(Convolution layer, Tensor x)
    {
        if (x.dim() != 4 || layer.padding_type is not null || layer.padding_mode != TorchSharp.PaddingModes.Zeros)
            return null;
        long[]? stride = layer.stride, padding = layer.padding, dilation = layer.dilation, kernel = layer.kernel_size;
        if (stride is null || padding is null || kernel is null) return null;
        if (stride.Distinct().Count() != 1 || padding.Distinct().Count() != 1 || (dilation ?? []).Any(d => d != 1))
            return null;
        if (layer.transposed && (layer.output_padding ?? []).Any(p => p != 0)) return null;
        return new ConvShape(layer.transposed ? ConvKind.Transposed : ConvKind.Convolution,
            layer.in_channels, layer.out_channels,
            kernel[0], kernel[1], stride[0], padding[0], layer.groups, x.shape[2], x.shape[3]);
    }

    /// <summary>The problem of a functional conv2d call with this weight (out, in/groups, kh, kw).</summary>
    public static ConvShape OfConv2d(Tensor x, Tensor weight, long stride, long padding, long groups) =>
        new(ConvKind.Convolution, x.shape[1], weight.shape[0], weight.shape[2], weight.shape[3],
            stride, padding, groups, x.shape[2], x.shape[3]);
}
