using static TorchSharp.torch;

namespace Ign.Priors;

/// <summary>The distribution of the inputs z that f learns to map onto the data.</summary>
public interface IPrior : IDisposable
{
    /// <summary>The name saved in checkpoints ("gaussian", "spectral").</summary>
    string Name { get; }

    /// <summary>Statistics that belong to the model and are saved with it (empty for a Gaussian).</summary>
    IReadOnlyDictionary<string, Tensor> Statistics { get; }

    /// <summary>
    /// n samples of shape (C, H, W) on the device, drawn with the given generator (or the global one).
    /// </summary>
    Tensor Sample(long n, Device device, Generator? generator = null); // (n, C, H, W)

    /// <summary>
    /// The expected value of z, (C, H, W): zero for a Gaussian, the mean image for the spectral prior.
    /// </summary>
    Tensor Mean(Device device);
}
