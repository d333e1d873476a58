using static TorchSharp.torch;

namespace Ign.Priors;

public static class PriorFactory
{
    public static readonly string[] Names = ["gaussian", "spectral", "covariance"];

    /// <summary>A prior fitted to training images (N, C, H, W) where it needs statistics.</summary>
    public static IPrior Fit(string name, Tensor trainImages) => name switch
    {
        "gaussian" => new GaussianPrior((int)trainImages.shape[1], (int)trainImages.shape[2], (int)trainImages.shape[3]),
        "spectral" => SpectralPrior.Fit(trainImages),
        "covariance" => CovariancePrior.Fit(trainImages),
        _ => throw new ArgumentException($"unknown prior '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>A prior rebuilt from the name and statistics saved in a checkpoint.</summary>
    public static IPrior Restore(string name, int channels, int height, int width, IReadOnlyDictionary<string, Tensor> statistics) => name switch
    {
        "gaussian" => new GaussianPrior(channels, height, width),
        "spectral" => new SpectralPrior(statistics),
        "covariance" => new CovariancePrior(statistics),
        _ => throw new ArgumentException($"checkpoint names an unknown prior '{name}'"),
    };
}
