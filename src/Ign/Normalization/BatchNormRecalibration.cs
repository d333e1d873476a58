using Ign.Corruptions;
using Ign.Data;
using Ign.Models;
using Ign.Priors;
using Ign.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Normalization;

/// <summary>
/// Computes the exact BatchNorm statistics of each kind of input f meets, for eval-mode (single-image) use.
/// </summary>
/// <remarks>
/// In training f normalises three kinds of batch, each with its own statistics: real images x, noise z and
/// generated images f(z). Their statistics differ a lot (noise is not an image), so one set of running averages
/// fits none of them, which is why eval mode was far worse than batch mode. Here each kind gets its own set,
/// averaged exactly over many batches; <see cref="Sampler"/> then uses the noise set for the first application
/// to z, the image set for the first application to an image, and the generated set for every later application.
/// A conditional f sees classes drawn as in its training, each the null class at its null-label rate: its decoder's
/// statistics are those of that mix (uniform over the classes and the null class gave the null class statistics
/// it never met, and it generated worse; docs/quality.md section 18).
/// </remarks>
public static class BatchNormRecalibration
{
    /// <summary>
    /// The three statistics sets of f's BatchNorm layers, from <paramref name="batches"/> batches of z, of f(z)
    /// (computed with batch statistics, as in training) and of training images (with the training input noise).
    /// f's own running statistics are left as trained. Returns null when f has no BatchNorm.
    /// </summary>
    /// <param name="nullLabelRate">a conditional f's training null-label rate (TrainConfig.NullLabelRate)</param>
    /// <param name="imageKinds">corruptions whose images get a set of their own, from training images corrupted by
    /// each (no input noise), filed under <see cref="NormStatistics.KindName"/> of its spec; needs images</param>
    public static NormStatistics? Run(Module<Tensor, Tensor> f, IPrior prior, ImageDataset? images, Device device,
                                      int batches = 40, int batchSize = 256, int seed = 0, float inputNoise = 0f,
                                      double nullLabelRate = 0.5, IReadOnlyList<ICorruption>? imageKinds = null)
    {
        var norms = BatchNormLayers.In(f);
        if (norms.Count == 0) return null;
        bool wasTraining = f.training;
        var momenta = norms.Select(n => n.Layer.momentum).ToList();
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed);
        var trained = norms.SelectMany(n => n.Layer.buffers())
            .Select(b => (Live: b, Saved: b.clone().DetachFromDisposeScope()))
            .ToList();
        var sets = new Dictionary<InputKind, Dictionary<string, Tensor>>();
        try
        {
            f.eval();
            // cumulative average over every batch that follows
            foreach (var (_, n) in norms) { n.momentum = null; n.train(); }

            // (B, C, H, W)
            sets[InputKind.Noise] = Accumulate(norms, batches, () => prior.Sample(batchSize, device, generator));
            // f(z) with batch statistics, as in training, made before accumulating so that these passes do not count
            var generated = Enumerable.Range(0, batches).Select(_ =>
            {
                using var scope = NewDisposeScope();
                using var classes = Conditioning.On(f, Classes(batchSize));
                // (B, C, H, W)
                return f.forward(prior.Sample(batchSize, device, generator)).MoveToOuterDisposeScope();
            }).ToList();
            int nextGenerated = 0;
            sets[InputKind.Generated] = Accumulate(norms, batches, () => generated[nextGenerated++]);
            foreach (var t in generated) t.Dispose();
            var kindSets = new Dictionary<string, Dictionary<string, Tensor>>();
            if (images is not null)
            {
                var order = randperm(images.Count, generator: generator).data<long>().ToArray();
                int next = 0;
                Tensor NextImages()                                                      // (B, C, H, W)
                {
                    var indices = Enumerable.Range(0, batchSize)
                        .Select(_ => (int)order[next++ % order.Length])
                        .ToArray();
                    return images.Batch(indices, device);
                }
                // x + σ·ε, clamped, as in training
                sets[InputKind.Image] = Accumulate(norms, batches, () =>
                    inputNoise <= 0 ? NextImages() : new GaussianNoise(inputNoise).Apply(NextImages(), generator));
                foreach (var corruption in imageKinds ?? [])
                    kindSets[NormStatistics.KindName(corruption.Spec)] =
                        Accumulate(norms, batches, () => corruption.Apply(NextImages(), generator));
            }
            else if (imageKinds is { Count: > 0 })
                throw new ArgumentException("statistics for kinds of corrupted image need the training images");
            else sets[InputKind.Image] = Clone(sets[InputKind.Generated]);

            return new NormStatistics(sets, kindSets);

            Tensor? Classes(long count) => Conditioning.AsInTraining(f, count, nullLabelRate, generator, device);

            Dictionary<string, Tensor> Accumulate(List<(string Name, BatchNorm Layer)> layers, int count,
                Func<Tensor> nextBatch)
            {
                foreach (var (_, n) in layers) n.reset_running_stats();
                for (int b = 0; b < count; b++)
                {
                    using var scope = NewDisposeScope();
                    var batch = nextBatch();
                    using var classes = Conditioning.On(f, Classes(batch.shape[0]));
                    f.forward(batch);
                }
                return Snapshot(layers);
            }
        }
        finally
        {
            for (int i = 0; i < norms.Count; i++) norms[i].Layer.momentum = momenta[i];
            foreach (var (live, saved) in trained) { live.copy_(saved); saved.Dispose(); }
            f.train(wasTraining);
        }
    }

    private static Dictionary<string, Tensor> Snapshot(List<(string Name, BatchNorm Layer)> norms) =>
        norms.SelectMany(n => new[]
             {
                 ($"{n.Name}.running_mean", n.Layer.running_mean!),
                 ($"{n.Name}.running_var", n.Layer.running_var!)
             })
             .ToDictionary(p => p.Item1, p => p.Item2.detach().clone().DetachFromDisposeScope());

    private static Dictionary<string, Tensor> Clone(Dictionary<string, Tensor> set) =>
        set.ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
}
