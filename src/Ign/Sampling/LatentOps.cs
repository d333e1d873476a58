using Ign.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ign.Sampling;

/// <summary>Ways to combine prior samples z before applying f: the paper's latent-space figures.</summary>
public static class LatentOps
{
    /// <summary>
    /// n points from a to b inclusive, straight (linear) or along the great circle (spherical), per sample.
    /// </summary>
    // (P, C, H, W) ×2 -> (P·n, C, H, W), pair-major
    public static Tensor Interpolate(Tensor a, Tensor b, int n, bool spherical)
    {
        if (n < 2) throw new ArgumentException("interpolation needs at least 2 points");
        using var t = linspace(0, 1, n, dtype: a.dtype, device: a.device);
        return Path(a, b, t, spherical);
    }

    /// <summary>The one point at t ∈ [0, 1] of that path: (P, C, H, W).</summary>
    public static Tensor Between(Tensor a, Tensor b, double t, bool spherical)
    {
        using var scalars = new HeldScalars();
        using var position = full(1, scalars.Of(t), dtype: a.dtype, device: a.device);
        return Path(a, b, position, spherical);
    }

    private static Tensor Path(Tensor a, Tensor b, Tensor positions, bool spherical) // positions (n)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        Scalar one = scalars.Of(1);
        long n = positions.shape[0];
        var t = positions.view(1, n, 1);                                                        // (1, n, 1)
        var fa = a.flatten(1).unsqueeze(1);                                                    // (P, 1, D)
        var fb = b.flatten(1).unsqueeze(1);
        Tensor path;
        var rest = t.neg().add(one, one);                                                      // 1 − t
        if (!spherical) path = (fa * rest).add(fb * t, one);                                   // (P, n, D)
        else
        {
            var cosine = (nn.functional.normalize(fa, dim: 2) * nn.functional.normalize(fb, dim: 2))
                .sum(2, keepdim: true)
                .clamp(scalars.Of(-1 + 1e-7), scalars.Of(1 - 1e-7));
            var omega = cosine.acos();                                                         // (P, 1, 1)
            var sine = omega.sin();
            path = (fa * ((rest * omega).sin() / sine)).add(fb * ((t * omega).sin() / sine), one);
        }
        long[] shape = [a.shape[0] * n, .. a.shape.Skip(1)];
        return path.reshape(shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// a − b + c; rescaled by 1/√3 about the prior mean when asked, so the result has the prior's spread again.
    /// </summary>
    public static Tensor Arithmetic(Tensor a, Tensor b, Tensor c, Tensor? priorMean = null, bool rescale = true)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        Scalar one = scalars.Of(1);
        if (!rescale) return (a - b).add(c, one).MoveToOuterDisposeScope();
        var mean = priorMean ?? zeros_like(a);
        // (a − b + c about the mean) / √3
        var offset = ((a - mean) - (b - mean)).add(c - mean, one).div(scalars.Of(Math.Sqrt(3)));
        return mean.add(offset, one).MoveToOuterDisposeScope();
    }

    /// <summary>The first half of a (top rows, or left columns when vertical) joined to the second half of b.</summary>
    public static Tensor Halves(Tensor a, Tensor b, bool vertical = false)
    {
        int dim = vertical ? 3 : 2;
        long half = a.shape[dim] / 2;
        return cat([a.narrow(dim, 0, half), b.narrow(dim, half, a.shape[dim] - half)], dim);
    }
}
