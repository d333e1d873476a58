using Ign.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>The normalisation layer both DCGAN networks put before an inner convolution: BatchNorm (the seed's) or
/// GroupNorm (statistics per image, so one image is treated alike alone and in a batch).</summary>
internal static class NormLayers
{
    /// <summary>BatchNorm2d, or GroupNorm of groups of 4 channels, at most 32 groups.</summary>
    public static Module<Tensor, Tensor> Create(long features, bool groupNorm) => groupNorm
        ? GroupNorm(Math.Max(1, Math.Min(32, features / 4)), features)
        : BatchNorm2d(features);

    /// <summary>Starts every GroupNorm of <paramref name="network"/> at weight 1, bias 0: TorchSharp leaves their
    /// affine parameters uninitialised, PyTorch starts them there.</summary>
    public static void StartGroupNorms(Module network)
    {
        using (no_grad())
        using (var scalars = new HeldScalars())
            foreach (var norm in network.modules().OfType<GroupNorm>())
            {
                norm.weight!.fill_(scalars.Of(1));
                norm.bias!.zero_();
            }
    }
}
