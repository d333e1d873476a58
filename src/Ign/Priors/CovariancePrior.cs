using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Priors;

/// <summary>
/// z ~ N(μ, Σ) with the training images' pixel mean μ and full pixel covariance Σ: noise that already has the
/// data's first two moments, position by position (where a digit's strokes are, how neighbouring pixels co-vary), which
/// the spectral prior only has on average over positions. Σ is stored as a factor A = U √Λ (Σ = U Λ Uᵀ), so a
/// sample is μ + A ε with ε ~ N(0, I); eigenvalues below zero (rounding, on a singular Σ such as MNIST's
/// always-black border) count as zero. A factor holds D² values for D = C·H·W, so images are limited to
/// <see cref="MaxValues"/> values.
/// </summary>
public sealed class CovariancePrior : IPrior
{
    public const string MeanKey = "mean", FactorKey = "factor";
    public const int MaxValues = 4096; // a 64×64 grey image: a 64 MiB factor

    private readonly Tensor mean;   // (C, H, W)
    private readonly Tensor factor; // (D, D), Σ = factor · factorᵀ

    public string Name => "covariance";
    public IReadOnlyDictionary<string, Tensor> Statistics { get; }

    public CovariancePrior(IReadOnlyDictionary<string, Tensor> statistics)
    {
        foreach (var key in new[] { MeanKey, FactorKey })
            if (!statistics.ContainsKey(key)) throw new ArgumentException($"covariance prior statistics lack '{key}'");
        // copies: the caller (e.g. a checkpoint) may dispose its tensors
        mean = statistics[MeanKey].to(float32, copy: true).DetachFromDisposeScope();
        factor = statistics[FactorKey].to(float32, copy: true).DetachFromDisposeScope();
        long values = mean.dim() == 3 ? mean.numel() : -1;
        if (values < 0 || factor.dim() != 2 || factor.shape[0] != values || factor.shape[1] != values)
            throw new ArgumentException(
                $"covariance prior statistics must be a (C, H, W) mean and a (D, D) factor with D = C·H·W, "
                + $"got [{string.Join(", ", mean.shape)}] and [{string.Join(", ", factor.shape)}]");
        Statistics = new Dictionary<string, Tensor> { [MeanKey] = mean, [FactorKey] = factor };
    }

    /// <summary>
    /// The pixel mean and covariance of images (N, C, H, W), accumulated in chunks in double precision.
    /// </summary>
    public static CovariancePrior Fit(Tensor images, int chunk = 4096)
    {
        long n = images.shape[0], d = images.shape[1] * images.shape[2] * images.shape[3];
        if (d > MaxValues)
            throw new ArgumentException(
                $"the covariance prior holds a D×D matrix and supports images of at most {MaxValues} values; "
                + $"these have {d} ({images.shape[1]}×{images.shape[2]}×{images.shape[3]}): use --prior spectral");
        if (n < 2) throw new ArgumentException("the covariance prior needs at least two training images");
        using var scope = NewDisposeScope();
        var sum = zeros(d, float64);
        var products = zeros(d, d, float64);
        for (long start = 0; start < n; start += chunk)
        {
            using var inner = NewDisposeScope();
            var x = images.narrow(0, start, Math.Min(chunk, n - start)).reshape(-1, d).to(float64).cpu(); // (b, D)
            sum.add_(x.sum([0L]));
            products.add_(x.t().mm(x));
        }
        var mu = sum / n;                                                                           // (D)
        var covariance = (products - outer(mu, mu) * n) / (n - 1);                                // (D, D)
        var (eigenvalues, eigenvectors) = linalg.eigh(covariance);                                  // (D), (D, D)
        using var scalars = new HeldScalars();
        // (D, D): columns scaled by √λ
        var factor = eigenvectors * eigenvalues.clamp_min(scalars.Of(0)).sqrt().unsqueeze(0);
        return new CovariancePrior(
            new Dictionary<string, Tensor> { [MeanKey] = mu.reshape(images.shape[1..]), [FactorKey] = factor });
    }

    public Tensor Sample(long n, Device device, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        // (n, D), on the CPU like every seeded draw
        var epsilon = randn([n, factor.shape[0]], generator: generator);
        var z = epsilon.mm(factor.t()).reshape(new long[] { n }.Concat(mean.shape).ToArray()) + mean; // (n, C, H, W)
        return z.to(device).MoveToOuterDisposeScope();
    }

    public Tensor Mean(Device device) => mean.to(device, copy: true); // (C, H, W)

    public void Dispose()
    {
        mean.Dispose();
        factor.Dispose();
    }
}
