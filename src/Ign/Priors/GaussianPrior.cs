using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Priors;

/// <summary>z ~ N(0, 1) independently per pixel (seed 002).</summary>
public sealed class GaussianPrior(int channels, int height, int width) : IPrior
{
    public string Name => "gaussian";
    public IReadOnlyDictionary<string, Tensor> Statistics { get; } = new Dictionary<string, Tensor>();

    public Tensor Sample(long n, Device device, Generator? generator = null) =>
        SeededDraws.Normal([n, channels, height, width], device, generator); // (n, C, H, W)

    public Tensor Mean(Device device) => zeros([channels, height, width], device: device);

    public void Dispose() { }
}
