using System.Collections.Concurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Models;

/// <summary>
/// LeakyReLU's forward, the same computation as TorchSharp's, with a slope Scalar that lives as long as the process.
/// TorchSharp's passes the slope as an implicit Scalar left to the finalizer: the race of BatchNormForward.cs and
/// Runtime/HeldScalars.cs. It killed the README's quick run at step 449 ("toFloat ... Scalar.h:140" under leaky_relu_).
/// </summary>
public static class LeakyReluForward
{
    private static readonly ConcurrentDictionary<double, Scalar> Slopes = new(); // statics are never finalized mid-call

    public static Tensor Apply(LeakyReLU relu, Tensor x) // (B, C, H, W) -> (B, C, H, W)
    {
        var slope = Slopes.GetOrAdd(relu.negative_slope, s => s.ToScalar());
        return relu.inplace ? x.leaky_relu_(slope) : x.leaky_relu(slope);
    }
}
