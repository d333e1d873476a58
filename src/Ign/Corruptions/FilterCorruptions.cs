using Ign.Numerics;
using Ign.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Ign.Corruptions;

/// <summary>Down-sampled to Size×Size (area average), then up-sampled back bilinearly.</summary>
public sealed record LowResolution(int Size) : ICorruption
{
    public string Spec => $"lowres:size={Size}";
    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        using var small = interpolate(x, [Size, Size], mode: InterpolationMode.Area);           // (B, C, s, s)
        using var scalars = new HeldScalars();
        return interpolate(small, [x.shape[2], x.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false)
            .clamp_(scalars.Of(-1), scalars.Of(1));
    }
}

/// <summary>Gaussian blur of standard deviation Sigma pixels (edges replicated).</summary>
public sealed record Blur(double Sigma) : ICorruption
{
    public string Spec => $"blur:sigma={Sigma:G}";
    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        int radius = Math.Max(1, (int)Math.Ceiling(3 * Sigma));
        var taps = arange(scalars.Of(-radius), scalars.Of(radius + 1), float64, x.device);
        var kernel1d = (-(taps * taps)).div(scalars.Of(2 * Sigma * Sigma)).exp();                 // exp(−t²/2σ²)
        kernel1d = (kernel1d / kernel1d.sum()).to(x.dtype);                                      // (k)
        long c = x.shape[1];
        var padded = pad(x, [radius, radius, radius, radius], PaddingModes.Replicate);           // (B, C, H+2r, W+2r)
        var rowsBlurred = ConvolutionGuard.Conv2d(padded, kernel1d.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups: c);
        return ConvolutionGuard.Conv2d(rowsBlurred, kernel1d.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups: c)
            .MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A sketch: the Sobel edge map of the image's brightness, thresholded at a fraction of each image's
/// strongest edge, drawn white on black (MNIST's convention) in every channel.
/// </summary>
public sealed record Sketch(double Threshold) : ICorruption
{
    public string Spec => $"sketch:threshold={Threshold:G}";
    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var gray = x.mean([1], keepdim: true);                                                   // (B, 1, H, W)
        var sobel = tensor(new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, [1, 1, 3, 3], x.dtype, x.device);
        var padded = pad(gray, [1, 1, 1, 1], PaddingModes.Replicate);
        var gx = ConvolutionGuard.Conv2d(padded, sobel);
        var gy = ConvolutionGuard.Conv2d(padded, sobel.transpose(2, 3));
        var magnitude = (gx * gx).add(gy * gy, scalars.Of(1)).sqrt();                            // (B, 1, H, W)
        var strongest = magnitude.amax([1, 2, 3], keepdim: true).clamp_min(scalars.Of(1e-6));
        var edges = where(magnitude >= strongest.mul(scalars.Of(Threshold)), 1.0, -1.0).to(x.dtype);
        return edges.expand(x.shape).contiguous().MoveToOuterDisposeScope();
    }
}

/// <summary>Colour removed: ITU-R BT.601 luma in all three channels. Needs RGB images.</summary>
public sealed record Grayscale : ICorruption
{
    public string Spec => "grayscale";
    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        if (x.shape[1] != 3)
            throw new ArgumentException($"grayscale needs RGB images; these have {x.shape[1]} channel(s)");
        using var weights = tensor(new float[] { 0.299f, 0.587f, 0.114f }, [1, 3, 1, 1], x.dtype, x.device);
        using var luma = (x * weights).sum([1], keepdim: true);                                  // (B, 1, H, W)
        return luma.expand(x.shape).contiguous();
    }
}
