using Ign.Runtime;
using Ign.Models;
using Ign.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Ign.Benchmarks;

/// <summary>
/// The seed-002 losses on inputs and weights defined by formulas, so another implementation
/// (bench/peer_losses.py, PyTorch) can compute the very same numbers: element i of the k-th parameter is
/// √(2 / fan-in)·sin(0.37·i + k) for a convolution (fan-in = elements / first dimension), 1 + 0.1·sin(0.37·i + k) for
/// a BatchNorm weight and 0.1·sin(0.37·i + k) for its bias (weights of a real network's size: the earlier 0.2·sin
/// everywhere made float32 itself move idempotence by 0.6 %); x_i = sin(0.1·i), z_i = 1.5·cos(0.07·i), batch 8,
/// dropout off, BatchNorm on batch statistics, L1, no clamp; in float32 or float64.
/// </summary>
public static class LossCheck
{
    public static (double Rec, double Idem, double Tight, double Total) SeedLosses(int baseWidth = 64,
        ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var f = new DcganMnist(baseWidth: baseWidth).to(dtype);
        using (no_grad())
        {
            int k = 0;
            foreach (var (name, p) in f.named_parameters())
            {
                var wave = arange(scalars.Of(p.numel()), dtype: float64).mul(scalars.Of(0.37)).add(scalars.Of(k)).sin();
                var value = p.dim() > 1 ? wave.mul(scalars.Of(Math.Sqrt(2.0 / (p.numel() / p.shape[0]))))
                    : name.EndsWith("weight", StringComparison.Ordinal)
                        ? wave.mul(scalars.Of(0.1)).add(scalars.Of(1))
                        : wave.mul(scalars.Of(0.1));
                p.copy_(value.reshape(p.shape));
                k++;
            }
        }
        using var frozen = new FrozenCopy(f, new DcganMnist(baseWidth: baseWidth).to(dtype));
        f.train();
        using var noDropout = DropoutPause.On(f);
        frozen.Sync(f);                                                // the copy's dropout paused with f's
        var index = arange(scalars.Of(8 * 28 * 28), dtype: float64);
        var x = index.mul(scalars.Of(0.1)).sin().to(dtype).reshape(8, 1, 28, 28);
        var z = index.mul(scalars.Of(0.07)).cos().mul(scalars.Of(1.5)).to(dtype).reshape(8, 1, 28, 28);
        var losses = new IgnObjective(ObjectiveConfig.Seed002).Compute(f, frozen.Module, x, z);
        double Read(Tensor t) => t.to(float64).item<double>();
        return (Read(losses.Reconstruction), Read(losses.Idempotence), Read(losses.Tightness), Read(losses.Total));
    }
}
