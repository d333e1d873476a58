using static TorchSharp.torch;

namespace Ign.Priors;

/// <summary>The priors z is drawn from; a checkpoint names its prior in lower case ("gaussian", ...).</summary>
public enum PriorKind { Gaussian, Spectral, Covariance }

public static class PriorFactory
{
    public static readonly string[] Names = Enum.GetNames<PriorKind>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>A prior fitted to training images (N, C, H, W) where it needs statistics.</summary>
    public static IPrior Fit(PriorKind kind, Tensor trainImages) => kind switch
    {
        PriorKind.Gaussian =>
            new GaussianPrior((int)trainImages.shape[1], (int)trainImages.shape[2], (int)trainImages.shape[3]),
        PriorKind.Spectral => SpectralPrior.Fit(trainImages),
        PriorKind.Covariance => CovariancePrior.Fit(trainImages),
        _ => throw new ArgumentException($"unknown prior '{kind}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>A prior rebuilt from the name and statistics saved in a checkpoint.</summary>
    public static IPrior Restore(string name, int channels, int height, int width,
        IReadOnlyDictionary<string, Tensor> statistics) => name switch
    {
        "gaussian" => new GaussianPrior(channels, height, width),
        "spectral" => new SpectralPrior(statistics),
        "covariance" => new CovariancePrior(statistics),
        _ => throw new ArgumentException($"checkpoint names an unknown prior '{name}'"),
    };
}
