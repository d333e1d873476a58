using Ign.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Sampling;

/// <summary>
/// How inpainting chooses what f sees in the hole. Before each application of f the hole's pixels h are fitted, by
/// Adam from the previous fill, so that f keeps the known pixels:
/// min_h Σ m ⊙ (f(m ⊙ c + (1 − m) ⊙ h) − c)² / Σ m, per image. f's output then fills the hole. A stroke broken
/// by the hole is one f would change the known pixels to keep, so the fit completes it; the plain loop
/// (<see cref="None"/>: h is the previous fill as it is) left it broken: 10×10 occlusions 82 % → 92 % recognised
/// (docs/quality.md section 19).
/// </summary>
/// <param name="Iterations">Adam steps per application of f (0: no fit, the plain loop)</param>
/// <param name="LearningRate">Adam's step size, in pixel units of [-1, 1]</param>
public sealed record HoleFit(int Iterations = 100, double LearningRate = 0.05)
{
    public static readonly HoleFit None = new(Iterations: 0);

    private const double Beta1 = 0.9, Beta2 = 0.99, Epsilon = 1e-8;

    /// <summary>
    /// The input for f: <paramref name="start"/> with its hole refitted. f is used as it is set up (mode, BatchNorm
    /// statistics); its parameters get no gradient.
    /// </summary>
    /// <param name="corrupted">c: (B, C, H, W), the known pixels where <paramref name="keep"/> is true</param>
    /// <param name="keep">(B, C, H, W) bool, true where known</param>
    /// <param name="start">(B, C, H, W): the known pixels and the hole's first fill</param>
    public Tensor Apply(Module<Tensor, Tensor> f, Tensor corrupted, Tensor keep, Tensor start)
    {
        if (Iterations <= 0) return start.alias();
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        using var withGradient = enable_grad();
        var weight = keep.to(corrupted.dtype);                                       // (B, C, H, W)
        var knownCount = weight.sum([1L, 2L, 3L]).clamp_min(scalars.Of(1.0));         // (B)
        var hole = start.detach().clone();                                           // (B, C, H, W)
        var moment = zeros_like(hole);
        var power = zeros_like(hole);
        for (int t = 1; t <= Iterations; t++)
        {
            using var step = NewDisposeScope();
            var h = hole.detach().requires_grad_(true);
            var output = f.forward(corrupted.where(keep, h));                        // (B, C, H, W)
            var loss = (output - corrupted).square().mul_(weight).sum([1L, 2L, 3L]).div_(knownCount).sum();
            var gradient = autograd.grad([loss], [h])[0];                            // (B, C, H, W), 0 where known
            using var _ = no_grad();
            moment.mul_(scalars.Of(Beta1)).add_(gradient, alpha: scalars.Of(1 - Beta1));
            power.mul_(scalars.Of(Beta2)).addcmul_(gradient, gradient, value: scalars.Of(1 - Beta2));
            double stepSize = LearningRate / (1 - Math.Pow(Beta1, t));
            var denominator = (power / scalars.Of(1 - Math.Pow(Beta2, t))).sqrt_().add_(scalars.Of(Epsilon));
            hole.addcdiv_(moment, denominator, value: scalars.Of(-stepSize));
        }
        return corrupted.where(keep, hole).detach().MoveToOuterDisposeScope();
    }
}
