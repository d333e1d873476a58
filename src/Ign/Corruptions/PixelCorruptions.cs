using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Corruptions;

/// <summary>x + σ·ε, clamped to [-1, 1].</summary>
public sealed record GaussianNoise(double Sigma) : ICorruption
{
    public string Spec => $"noise:sigma={Sigma:G}";
    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var noise = SeededDraws.Normal(x.shape, x.device, generator, x.dtype).mul_(scalars.Of(Sigma)); // σ·ε
        return x.add(noise, scalars.Of(1)).clamp_(scalars.Of(-1), scalars.Of(1)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A fraction of the pixels (all channels of a pixel together) set to black or white with equal odds.
/// </summary>
public sealed record SaltAndPepper(double Amount) : ICorruption
{
    public string Spec => $"saltpepper:amount={Amount:G}";
    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        long[] pixelShape = [x.shape[0], 1, x.shape[2], x.shape[3]];                         // (B, 1, H, W)
        var hit = SeededDraws.Uniform(pixelShape, x.device, generator).lt(scalars.Of(Amount));
        var white = SeededDraws.Uniform(pixelShape, x.device, generator).lt(scalars.Of(0.5));
        var value = where(white, 1.0, -1.0).to(x.dtype);
        return where(hit, value, x).MoveToOuterDisposeScope();                                 // (B, C, H, W)
    }
}

/// <summary>-x: black and white swapped (e.g. black-on-white drawings for a white-on-black model).</summary>
public sealed record Inversion : ICorruption
{
    public string Spec => "invert";
    public Tensor Apply(Tensor x, Generator? generator = null) => x.neg();
}

/// <summary>A square of a constant value, at a random place per image unless Left/Top are given.</summary>
public sealed record Occlusion(int Size, double Fill, int Left = -1, int Top = -1) : IMaskedCorruption
{
    public string Spec => $"occlude:size={Size},fill={Fill:G},x={Left},y={Top}";

    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        var (corrupted, known) = ApplyWithMask(x, generator);
        known.Dispose();
        return corrupted;
    }

    public (Tensor Corrupted, Tensor Known) ApplyWithMask(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        int size = (int)Math.Min(Size, Math.Min(h, w));
        var top = Top >= 0 ? full([b, 1, 1, 1], scalars.Of(Math.Min(Top, h - size)), int64, x.device)
                           : SeededDraws.Integers(0, h - size + 1, [b, 1, 1, 1], x.device, generator);  // (B, 1, 1, 1)
        var left = Left >= 0 ? full([b, 1, 1, 1], scalars.Of(Math.Min(Left, w - size)), int64, x.device)
                             : SeededDraws.Integers(0, w - size + 1, [b, 1, 1, 1], x.device, generator);
        // (1, 1, H, 1)
        var rows = arange(scalars.Of(h), int64, x.device).view(1, 1, h, 1);
        // (1, 1, 1, W)
        var cols = arange(scalars.Of(w), int64, x.device).view(1, 1, 1, w);
        // (B, 1, 1, 1), past the last row
        var bottom = top.add(scalars.Of(size), scalars.Of(1));
        var right = left.add(scalars.Of(size), scalars.Of(1));
        var inside = (rows >= top) & (rows < bottom) & (cols >= left) & (cols < right);         // (B, 1, H, W)
        return (x.masked_fill(inside, scalars.Of(Fill)).MoveToOuterDisposeScope(),
                inside.logical_not().to(x.dtype).MoveToOuterDisposeScope());
    }
}
