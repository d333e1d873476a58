using Ign.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Ign.Normalization;

namespace Ign.Models;

/// <summary>
/// One layer's forward through our seams: convolutions through <see cref="ConvolutionGuard"/> (checked against a
/// reference on this CPU), BatchNorm and LeakyReLU without TorchSharp's finalizer-owned Scalars; anything else as is.
/// Every model runs its layers through here.
/// </summary>
public static class LayerForward
{
    public static Tensor Apply(Module layer, Tensor x) => layer switch
    {
        Convolution conv => ConvolutionGuard.Forward(conv, x),
        BatchNorm norm => BatchNormForward.Apply(norm, x),
        LeakyReLU relu => LeakyReluForward.Apply(relu, x),
        _ => ((Module<Tensor, Tensor>)layer).forward(x),
    };

    /// <summary>The layers in order; intermediate tensors die with the call.</summary>
    public static Tensor Run(Sequential layers, Tensor x)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in layers.children()) x = Apply(layer, x);
        return x.MoveToOuterDisposeScope();
    }
}
