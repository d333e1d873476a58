using Ign.Priors;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Sampling;

/// <summary>
/// Replaces BatchNorm's running statistics (accumulated in training over real images x, noise z and f(z),
/// with momentum) by their exact average over the inputs f meets at generation: batches of z and of f(z).
/// Eval-mode f (each image on its own, what single-image projection needs) then normalises like
/// batch-statistics generation does.
/// </summary>
public static class BatchNormRecalibration
{
    public static int Run(Module<Tensor, Tensor> f, IPrior prior, Device device, int batches = 40, int batchSize = 256, int seed = 0)
    {
        var norms = f.modules().OfType<BatchNorm2d>().ToList();
        if (norms.Count == 0) return 0;
        bool wasTraining = f.training;
        var momenta = norms.Select(n => n.momentum).ToList();
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed);
        try
        {
            f.eval();
            foreach (var n in norms)
            {
                n.reset_running_stats();
                n.momentum = null; // cumulative average over every batch that follows
                n.train();
            }
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var z = prior.Sample(batchSize, device, generator); // (B, C, H, W)
                var fz = f.forward(z);                              // statistics of layers seeing z
                f.forward(fz);                                      // ... and seeing f(z)
            }
        }
        finally
        {
            for (int i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
            f.train(wasTraining);
        }
        return norms.Count;
    }
}
