using Ign.Runtime;
using Ign.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Ign.Normalization;

namespace Ign.Sampling;

/// <summary>Applies f repeatedly without gradient, with dropout off and BatchNorm in the chosen mode.</summary>
public static class Sampler
{
    /// <summary>
    /// f^k(input) for every k in <paramref name="steps"/> (ascending, k ≥ 0), in one pass up to the largest k.
    /// </summary>
    /// <param name="statistics">per-input BatchNorm statistics for <see cref="NormMode.Running"/> (null: f's own
    /// running averages)</param>
    /// <param name="first">what <paramref name="input"/> is: noise z or an image</param>
    public static List<Tensor> Iterate(Module<Tensor, Tensor> f, Tensor input, IReadOnlyList<int> steps, NormMode mode,
                                       NormStatistics? statistics = null, InputKind first = InputKind.Noise) =>
        Repeat(f, input.detach(), steps, mode, statistics, first, output => output);

    /// <summary>
    /// Inpainting with known pixels: y₀ = m ⊙ c(x) + (1 − m) ⊙ μ (μ the mean of the image's known pixels), then
    /// y_k = m ⊙ c(x) + (1 − m) ⊙ f(fit(y_{k−1})): f fills only where m is 0, each application starting from the
    /// known pixels and the previous fill, refitted by <paramref name="fit"/> so that f keeps the known pixels
    /// (<see cref="HoleFit.None"/>: as it is). Outputs y_k for every k asked.
    /// </summary>
    /// <param name="known">(B, 1, H, W) or (B, C, H, W): 1 where the input's pixels are known</param>
    public static List<Tensor> Inpaint(Module<Tensor, Tensor> f, Tensor corrupted, Tensor known, HoleFit fit,
        IReadOnlyList<int> steps, NormMode mode, NormStatistics? statistics = null, InputKind first = InputKind.Image)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var keep = known.expand_as(corrupted).to(ScalarType.Bool);          // (B, C, H, W), true where known
        // the hole starts as the mean of each image's known pixels, per channel, not as whatever hid it
        var knownCount = keep.sum([2L, 3L], keepdim: true).clamp_min(scalars.Of(1)); // (B, C, 1, 1)
        var knownMean = corrupted.where(keep, zeros_like(corrupted)).sum([2L, 3L], keepdim: true) / knownCount;
        var start = corrupted.where(keep, knownMean.expand_as(corrupted)).detach();
        return Repeat(f, start, steps, mode, statistics, first, output => corrupted.where(keep, output),
                input => fit.Apply(f, corrupted, keep, input))
            .Select(t => t.MoveToOuterDisposeScope())
            .ToList();
    }

    /// <summary>y₀ = start, y_k = next(f(before(y_{k−1}))), f without gradient, in one pass up to the largest k
    /// asked.</summary>
    private static List<Tensor> Repeat(Module<Tensor, Tensor> f, Tensor start, IReadOnlyList<int> steps,
        NormMode mode, NormStatistics? statistics, InputKind first, Func<Tensor, Tensor> next,
        Func<Tensor, Tensor>? before = null)
    {
        if (steps.Count == 0 || steps.Any(k => k < 0))
            throw new ArgumentException("steps must be a non-empty list of k ≥ 0");
        var wanted = new SortedSet<int>(steps);
        var results = new Dictionary<int, Tensor>();
        using var _ = no_grad();
        using var restore = new SamplingMode(f, mode, statistics);
        var current = start;
        if (wanted.Contains(0)) results[0] = current.clone();
        for (int k = 1; k <= wanted.Max; k++)
        {
            restore.Prepare(k, first);
            Tensor following;
            using (var input = before?.Invoke(current)) following = next(f.forward(input ?? current));
            if (k > 1) current.Dispose();
            current = following;
            if (wanted.Contains(k)) results[k] = Checked(current, k);
        }
        if (wanted.Max > 0) current.Dispose();
        return steps.Select(k => results[k]).ToList();
    }

    private static Tensor Checked(Tensor output, int k)
    {
        FiniteCheck.Require(output, $"f^{k} of the input");
        return output.clone();
    }

    /// <summary>
    /// Like <see cref="Iterate"/>, also returning the mean per-pixel change |f^(k+1) − f^k| for every k from 0
    /// to the largest asked k − 1, so drift or convergence to a fixed point can be plotted. One native tensor
    /// lives at a time besides the kept outputs: memory stays flat for any k.
    /// </summary>
    public static (List<Tensor> Outputs, double[] Changes) IterateWithChanges(
        Module<Tensor, Tensor> f, Tensor input, IReadOnlyList<int> steps, NormMode mode,
        Action<int>? onStep = null, CancellationToken cancel = default,
        NormStatistics? statistics = null, InputKind first = InputKind.Noise)
    {
        if (steps.Count == 0 || steps.Any(k => k < 0))
            throw new ArgumentException("steps must be a non-empty list of k ≥ 0");
        var wanted = new SortedSet<int>(steps);
        var results = new Dictionary<int, Tensor>();
        var changes = new double[wanted.Max];
        using var _ = no_grad();
        using var restore = new SamplingMode(f, mode, statistics);
        var current = input.detach().clone().DetachFromDisposeScope(); // owned here, freed step by step
        if (wanted.Contains(0)) results[0] = current.clone();
        for (int k = 1; k <= wanted.Max; k++)
        {
            cancel.ThrowIfCancellationRequested();
            Tensor next;
            using (NewDisposeScope())
            {
                restore.Prepare(k, first);
                next = f.forward(current);
                changes[k - 1] = (next - current).abs_().mean().item<float>();
                next.DetachFromDisposeScope();
            }
            current.Dispose();
            current = next;
            if (wanted.Contains(k)) results[k] = Checked(current, k);
            onStep?.Invoke(k);
        }
        current.Dispose();
        return (steps.Select(k => results[k]).ToList(), changes);
    }

    /// <summary>
    /// Puts f in eval mode (dropout off) with BatchNorm layers in training mode when Batch statistics are
    /// asked for, or with the per-input statistics swapped in before each application; on dispose restores the
    /// modes and the BatchNorm running statistics, which either would otherwise have changed.
    /// </summary>
    private sealed class SamplingMode : IDisposable
    {
        private readonly Module<Tensor, Tensor> f;
        private readonly bool wasTraining;
        private readonly NormStatistics? statistics;
        private readonly List<(Tensor Live, Tensor Saved)> savedBuffers = [];
        private InputKind? applied;

        public SamplingMode(Module<Tensor, Tensor> f, NormMode mode, NormStatistics? statistics)
        {
            (this.f, wasTraining) = (f, f.training);
            mode = NormModes.Resolve(mode, statistics);
            this.statistics = mode == NormMode.Running ? statistics : null;
            f.eval();
            var norms = BatchNormLayers.In(f).Select(n => n.Layer).ToList();
            if (mode == NormMode.Batch || this.statistics is not null)
                foreach (var buffer in norms.SelectMany(m => m.buffers()))
                    savedBuffers.Add((buffer, buffer.clone().DetachFromDisposeScope()));
            if (mode == NormMode.Batch) foreach (var module in norms) module.train();
        }

        /// <summary>Before the k-th application: the statistics set for what it sees (a no-op without sets).</summary>
        public void Prepare(int k, InputKind first)
        {
            if (statistics is null) return;
            var kind = NormStatistics.KindAt(k, first);
            if (applied == kind) return;
            statistics.Apply(f, kind);
            applied = kind;
        }

        public void Dispose()
        {
            using (no_grad())
                foreach (var (live, saved) in savedBuffers) { live.copy_(saved); saved.Dispose(); }
            f.train(wasTraining);
        }
    }
}
