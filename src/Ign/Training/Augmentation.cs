using Ign.Configuration;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Ign.Training;

/// <summary>
/// Small random deformations of each real image before a training step sees it (not in the paper): f is then taught
/// to keep shifted, turned, resized, thicker and thinner versions of every training image, so its fixed points cover
/// a neighbourhood of the data rather than the training images alone. Every draw comes from torch's generator (saved
/// in checkpoints), and none is made when all four are 0.
/// </summary>
public sealed record Augmentation
{
    [Knob("--augment-shift", "largest translation of a real training image, in pixels, drawn uniformly per image " +
                             "and axis (not in the paper; 0 = off)")]
    public float Shift { get; init; } = 0f;

    [Knob("--augment-rotate", "largest rotation of a real training image, in degrees (0 = off)")]
    public float Rotate { get; init; } = 0f;

    [Knob("--augment-scale", "largest relative change of a real training image's size: 0.1 draws 0.9× … 1.1× " +
                             "(0 = off)")]
    public float Scale { get; init; } = 0f;

    [Knob("--augment-stroke", "largest change of stroke width: each real training image blended by up to this " +
                              "fraction toward its 3×3 dilation or its erosion, either alike (0 = off; 1 = one pixel)")]
    public float Stroke { get; init; } = 0f;

    private bool MovesPixels => Shift != 0 || Rotate != 0 || Scale != 0;

    public bool IsOff => !MovesPixels && Stroke == 0;

    public void Validate()
    {
        static void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Require(Shift >= 0 && float.IsFinite(Shift), $"--augment-shift must be ≥ 0, got {Shift}");
        Require(Rotate is >= 0 and <= 180, $"--augment-rotate must be in [0, 180], got {Rotate}");
        Require(Scale is >= 0 and < 1, $"--augment-scale must be in [0, 1), got {Scale}");
        Require(Stroke is >= 0 and <= 1, $"--augment-stroke must be in [0, 1], got {Stroke}");
    }

    /// <summary>Each image of <paramref name="x"/> (B, C, H, W) in [-1, 1] deformed by its own draw; x itself when
    /// off.</summary>
    public Tensor Apply(Tensor x)
    {
        if (IsOff) return x;
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        var u = rand([b, 5], device: x.device) * 2 - 1;                       // (B, 5) uniform in [-1, 1)
        if (MovesPixels) x = Warp(x, u, h, w);
        if (Stroke != 0) x = Thicken(x, u[.., 4] * Stroke);
        return x;
    }

    /// <summary>Rotation, scale and translation by bilinear resampling; the border pixels (the background) fill
    /// what comes in from outside.</summary>
    private Tensor Warp(Tensor x, Tensor u, long h, long w)
    {
        var angle = u[.., 0] * (Rotate * Math.PI / 180);                      // (B)
        var inverseScale = 1 / (1 + u[.., 1] * Scale);                          // (B): input = output / scale
        var (cos, sin) = (angle.cos() * inverseScale, angle.sin() * inverseScale);
        // a shift of p pixels is 2p / size in grid_sample's [-1, 1] coordinates (align_corners false)
        var (tx, ty) = (u[.., 2] * (2 * Shift / w), u[.., 3] * (2 * Shift / h));
        var theta = stack([cos, -sin, tx, sin, cos, ty], dim: 1).view(-1, 2, 3);      // (B, 2, 3)
        var grid = affine_grid(theta, [x.shape[0], x.shape[1], h, w], align_corners: false); // (B, H, W, 2)
        return grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }

    /// <summary>x blended toward its 3×3 dilation by t where t &gt; 0, toward its erosion by −t where t &lt; 0.
    /// </summary>
    private static Tensor Thicken(Tensor x, Tensor t)
    {
        var dilated = max_pool2d(x, 3, 1, 1);                                   // (B, C, H, W)
        var eroded = -max_pool2d(-x, 3, 1, 1);                                  // (B, C, H, W)
        var toward = t.view(-1, 1, 1, 1);                                       // (B, 1, 1, 1)
        return x + toward.relu() * (dilated - x) + (-toward).relu() * (eroded - x);
    }
}
