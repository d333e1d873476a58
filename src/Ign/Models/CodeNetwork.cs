using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>
/// What both IGN networks are: an encoder to an 8c×1×1 code (last layer "conv5") and a decoder back (first layer
/// "deconv1"), every layer run through <see cref="LayerForward"/>. A subclass builds the two Sequentials in its
/// constructor, then calls RegisterComponents.
/// </summary>
public abstract class CodeNetwork : Module<Tensor, Tensor>
{
    protected Sequential encoder = null!;
    protected Sequential decoder = null!;

    protected CodeNetwork(string name, int baseWidth) : base(name) => CheckBaseWidth(baseWidth);

    /// <summary>The one rule for c: the decoder halves it down to c/2 channels.</summary>
    public static bool IsValidBaseWidth(int baseWidth) => baseWidth >= 2 && baseWidth % 2 == 0;

    public static string BaseWidthError(int baseWidth) => $"base width must be an even number ≥ 2, got {baseWidth}";

    private static void CheckBaseWidth(int baseWidth)
    {
        if (!IsValidBaseWidth(baseWidth)) throw new ArgumentException(BaseWidthError(baseWidth));
    }

    /// <summary>
    /// Run the two layers that touch the 1×1 code (conv5 onto 1×1, deconv1 from 1×1) as the matrix products they
    /// are. Same weights, same mathematics; the GEMM path is faster on CPU than the convolution kernels for these
    /// shapes (docs/performance.md). Off = plain convolutions.
    /// </summary>
    public bool PointLayersAsMatmul { get; set; } = true;

    /// <summary>Refuses an input of the wrong shape with a clear message (nothing by default).</summary>
    protected virtual void CheckInput(Tensor x) { }

    public override Tensor forward(Tensor x) // (B, C, S, S) -> (B, C, S, S)
    {
        CheckInput(x);
        using var code = Run(encoder, x);    // (B, 8c, 1, 1)
        return Run(decoder, code);
    }

    private Tensor Run(Sequential layers, Tensor x)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, layer) in layers.named_children())
        {
            x = PointLayersAsMatmul switch
            {
                // (B, 8c·k·k) @ (8c·k·k, 8c): a k×k convolution of a k×k map
                true when name == "conv5" && layer is Conv2d conv
                        && x.shape[2] == conv.weight!.shape[2] && x.shape[3] == conv.weight.shape[3] =>
                    x.flatten(1).matmul(conv.weight.flatten(1).t()).view(x.shape[0], -1, 1, 1),
                // (B, 8c) @ (8c, c'·k·k): a k×k transposed convolution of a 1×1 map
                true when name == "deconv1" && layer is ConvTranspose2d deconv && x.shape[2] == 1 && x.shape[3] == 1 =>
                    x.flatten(1).matmul(deconv.weight!.flatten(1))
                        .view(x.shape[0], -1, deconv.weight.shape[2], deconv.weight.shape[3]),
                _ => LayerForward.Apply(layer, x), // convolutions checked on this CPU; no finalizer-owned Scalars
            };
        }
        return x.MoveToOuterDisposeScope();
    }
}
