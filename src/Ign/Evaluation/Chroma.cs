using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// Colour apart from brightness: the chroma channels of YUV (BT.601), U = 0.492 (B − Y) and V = 0.877 (R − Y) with
/// Y = 0.299 R + 0.587 G + 0.114 B. The chroma error |UV(y) − UV(x)| of a colour restoration ignores luminance, so a
/// blurred output is not rewarded for getting the brightness roughly right: for a grayscale input the error is the
/// whole of the original's colour, and only colour put back where it was lowers it.
/// </summary>
public static class Chroma
{
    /// <summary>(N, 2, H, W): U and V of (N, 3, H, W) RGB images in [-1, 1] (taken as [0, 1] colours).</summary>
    public static Tensor UV(Tensor rgb)
    {
        if (rgb.shape[1] != 3) throw new ArgumentException("chroma needs RGB images (N, 3, H, W)");
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var colour = (rgb.to(float64) + scalars.Of(1.0)) / scalars.Of(2.0);       // (N, 3, H, W) in [0, 1]
        var (r, g, b) = (colour.narrow(1, 0, 1), colour.narrow(1, 1, 1), colour.narrow(1, 2, 1));
        var y = r * scalars.Of(0.299) + g * scalars.Of(0.587) + b * scalars.Of(0.114);   // (N, 1, H, W)
        var u = (b - y) * scalars.Of(0.492);
        var v = (r - y) * scalars.Of(0.877);
        return cat([u, v], 1).MoveToOuterDisposeScope();                         // (N, 2, H, W)
    }

    /// <summary>Mean |UV(restored) − UV(original)| per pixel and channel.</summary>
    public static double Error(Tensor restored, Tensor original)
    {
        using var scope = NewDisposeScope();
        return (UV(restored) - UV(original)).abs().mean().item<double>();
    }
}
