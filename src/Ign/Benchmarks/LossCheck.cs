using Ign.Runtime;
using Ign.Models;
using Ign.Objective;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ign.Benchmarks;

/// <summary>
/// The seed-002 losses on inputs and weights defined by formulas, so another implementation
/// (bench/peer_losses.py, PyTorch) can compute the very same numbers: parameter k's element i is
/// 0.2·sin(0.37·i + k), x_i = sin(0.1·i), z_i = 1.5·cos(0.07·i), batch 8, dropout off, BatchNorm
/// on batch statistics, L1, no clamp.
/// </summary>
public static class LossCheck
{
    public static (float Rec, float Idem, float Tight, float Total) SeedLosses(int baseWidth = 64)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var f = new DcganMnist(baseWidth: baseWidth);
        using (no_grad())
        {
            int k = 0;
            foreach (var p in f.parameters())
            {
                var i = arange(scalars.Of(p.numel()), dtype: float64);
                p.copy_((0.2 * (0.37 * i + k).sin()).reshape(p.shape));
                k++;
            }
        }
        using var frozen = new FrozenCopy(f, new DcganMnist(baseWidth: baseWidth));
        f.train();
        frozen.Sync(f);
        foreach (var m in f.modules().Concat(frozen.Module.modules()).Where(m => m is Dropout2d)) m.eval();
        var index = arange(scalars.Of(8 * 28 * 28), dtype: float64);
        var x = (0.1 * index).sin().to(float32).reshape(8, 1, 28, 28);
        var z = (1.5 * (0.07 * index).cos()).to(float32).reshape(8, 1, 28, 28);
        var losses = new IgnObjective(ObjectiveConfig.Seed002).Compute(f, frozen.Module, x, z);
        return (losses.Reconstruction.item<float>(), losses.Idempotence.item<float>(),
            losses.Tightness.item<float>(), losses.Total.item<float>());
    }
}
