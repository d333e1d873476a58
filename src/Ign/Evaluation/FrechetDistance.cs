using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>Mean and full covariance of a feature set, in float64.</summary>
public sealed class GaussianFit : IDisposable
{
    public Tensor Mean { get; }        // (D)
    public Tensor Covariance { get; }  // (D, D)

    /// <summary>Takes ownership of float64 tensors; other types are converted.</summary>
    public GaussianFit(Tensor mean, Tensor covariance) =>
        (Mean, Covariance) = (mean.dtype == float64 ? mean : mean.to(float64),
            covariance.dtype == float64 ? covariance : covariance.to(float64));

    public static GaussianFit Of(Tensor features) // (N, D)
    {
        if (features.dim() != 2 || features.shape[0] < 2)
            throw new ArgumentException("need an (N ≥ 2, D) feature matrix");
        using var scope = NewDisposeScope();
        var x = features.to(float64);
        var mean = x.mean([0]);                                     // (D)
        var centred = x - mean;                                     // (N, D)
        var covariance = centred.t().mm(centred) / (x.shape[0] - 1); // (D, D)
        return new GaussianFit(mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    public void Dispose() { Mean.Dispose(); Covariance.Dispose(); }
}

/// <summary>
/// Fréchet distance between two Gaussians: |μ₁ − μ₂|² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁Σ₂)^½.
/// The trace of the square root is taken as tr (Σ₁^½ Σ₂ Σ₁^½)^½, a symmetric PSD matrix whose square root
/// comes from a symmetric eigendecomposition with round-off negatives clipped to 0: no complex numbers,
/// no iteration, stable for singular covariances (ReLU features often have dead units).
/// </summary>
public static class FrechetDistance
{
    public static double Between(GaussianFit a, GaussianFit b)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var difference = a.Mean - b.Mean;
        var rootA = SymmetricSqrt(a.Covariance);
        var middle = rootA.mm(b.Covariance).mm(rootA);
        middle = (middle + middle.t()) / 2;                           // remove round-off asymmetry
        var traceOfRoot = linalg.eigvalsh(middle).clamp_min(scalars.Of(0)).sqrt().sum();
        var distance = difference.dot(difference) + a.Covariance.trace() + b.Covariance.trace() - 2 * traceOfRoot;
        return Math.Max(0, distance.item<double>());
    }

    public static double Between(Tensor featuresA, Tensor featuresB)
    {
        using var a = GaussianFit.Of(featuresA);
        using var b = GaussianFit.Of(featuresB);
        return Between(a, b);
    }

    /// <summary>S^½ of a symmetric positive semi-definite S.</summary>
    public static Tensor SymmetricSqrt(Tensor s)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var (values, vectors) = linalg.eigh((s + s.t()) / 2);
        return vectors.mm(diag(values.clamp_min(scalars.Of(0)).sqrt())).mm(vectors.t()).MoveToOuterDisposeScope();
    }
}
