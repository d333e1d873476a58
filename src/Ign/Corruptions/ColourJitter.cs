using Ign.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ign.Corruptions;

/// <summary>
/// Random colour changes, drawn per image (torchvision's ColorJitter in a fixed order): brightness × b,
/// contrast (distance from the image's mean luma) × c, saturation (distance from each pixel's luma) × s, each
/// factor uniform in [1 − strength, 1 + strength], then the hue turned about the grey axis by up to ±Hue of a
/// full turn (a rotation of the YIQ chroma plane). Each step is clamped to the valid range. Grey images get
/// brightness and contrast only.
/// </summary>
public sealed record ColourJitter(double Brightness, double Contrast, double Saturation, double Hue) : ICorruption
{
    public string Spec =>
        $"jitter:brightness={Brightness:G},contrast={Contrast:G},saturation={Saturation:G},hue={Hue:G}";

    private static readonly double[,] RgbToYiq =
    {
        { 0.299, 0.587, 0.114 },
        { 0.596, -0.274, -0.322 },
        { 0.211, -0.523, 0.312 }
    };

    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        Scalar zero = scalars.Of(0), one = scalars.Of(1), two = scalars.Of(2);
        // 1 + strength·draw
        Tensor Factor(Tensor draw, double strength) => draw.mul(scalars.Of(strength)).add(one, one);
        long b = x.shape[0];
        bool colour = x.shape[1] == 3;
        // (B, 4, 1, 1) in [-1, 1)
        var draws = SeededDraws.Uniform([b, 4, 1, 1], x.device, generator).mul(two).sub(one).to(x.dtype);
        // (B, C, H, W) in [0, 1]
        var image = x.add(one, one).div(two);
        image = image.mul(Factor(draws[.., 0..1], Brightness)).clamp(zero, one);
        var mean = Luma(image).mean([1, 2, 3], keepdim: true);                                           // (B, 1, 1, 1)
        image = image.sub(mean).mul(Factor(draws[.., 1..2], Contrast)).add(mean, one).clamp(zero, one);
        if (colour)
        {
            // (B, 1, H, W)
            var luma = Luma(image);
            image = image.sub(luma).mul(Factor(draws[.., 2..3], Saturation)).add(luma, one).clamp(zero, one);
            image = TurnHue(image, draws[.., 3].flatten().mul(scalars.Of(Hue * 2 * Math.PI))).clamp(zero, one);
        }
        return image.mul(two).sub(one).MoveToOuterDisposeScope();
    }

    private static Tensor Luma(Tensor image) => image.shape[1] == 3
        ? (image * tensor(new float[] { 0.299f, 0.587f, 0.114f }, [1, 3, 1, 1], image.dtype, image.device))
            .sum([1], keepdim: true)
        : image;

    /// <summary>RGB → YIQ, rotate (I, Q) by each image's angle, → RGB, as one 3×3 matrix per image.</summary>
    private static Tensor TurnHue(Tensor image, Tensor angles) // (B, 3, H, W), (B)
    {
        var toYiq = tensor(RgbToYiq, float64, image.device);                                             // (3, 3)
        var fromYiq = linalg.inv(toYiq);
        var cos = angles.to(float64).cos();
        var sin = angles.to(float64).sin();
        var one = ones_like(cos); var zero = zeros_like(cos);
        var rotation = stack([one, zero, zero, zero, cos, -sin, zero, sin, cos], 1).view(-1, 3, 3);    // (B, 3, 3)
        var transform = fromYiq.matmul(rotation).matmul(toYiq).to(image.dtype);                         // (B, 3, 3)
        long b = image.shape[0], h = image.shape[2], w = image.shape[3];
        return transform.bmm(image.reshape(b, 3, h * w)).view(b, 3, h, w);                               // (B, 3, H, W)
    }
}
