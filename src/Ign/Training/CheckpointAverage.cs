using static TorchSharp.torch;

namespace Ign.Training;

/// <summary>
/// One network whose weights are the mean of several checkpoints' (stochastic weight averaging, Izmailov et al.
/// 2018): the checkpoints a run keeps over its late, low-learning-rate phase (<c>ign train --keep-at</c>) lie in one
/// basin, and their mean sits nearer its centre than any of them (<c>ign average</c>). Only parameters are averaged;
/// BatchNorm buffers are the last checkpoint's and do not fit the mean, so an average wants its statistics
/// recomputed (<see cref="ModelFiles.WriteModelOnly"/> with recalibration).
/// </summary>
public static class CheckpointAverage
{
    /// <summary>The mean of the <paramref name="weights"/> of each checkpoint in <paramref name="paths"/>, with the
    /// last one's buffers, prior and header (its step; <see cref="CheckpointHeader.AveragedFrom"/> naming the
    /// sources). A checkpoint of another architecture, width, image shape or prior is a one-line error.</summary>
    public static TrainedModel Load(IReadOnlyList<string> paths, WeightChoice weights) => Load(paths, weights, out _);

    /// <inheritdoc cref="Load(IReadOnlyList{string}, WeightChoice)"/>
    /// <param name="steps">the training step of each checkpoint, in <paramref name="paths"/>' order</param>
    public static TrainedModel Load(IReadOnlyList<string> paths, WeightChoice weights, out IReadOnlyList<long> steps)
    {
        if (paths.Count < 2) throw new ArgumentException("an average needs two checkpoints or more");
        if (weights == WeightChoice.Sampling)
            throw new ArgumentException("say which weights to average: live or ema");
        string kind = weights == WeightChoice.Live ? "live" : "ema";
        var sources = new List<string>();
        var stepsRead = new List<long>();
        steps = stepsRead;
        Dictionary<string, Tensor>? sums = null;
        TrainedModel? last = null;
        try
        {
            foreach (string path in paths)
            {
                var model = TrainedModel.Load(path, CPU, weights);
                try { if (last is not null) Check(last, paths[0], model, path); }
                catch { model.Dispose(); throw; }
                last?.Dispose();
                last = model;
                var parameters = model.Network.named_parameters().ToList();
                sums ??= parameters.ToDictionary(p => p.name, p => zeros_like(p.parameter, dtype: float64));
                using (no_grad())
                using (NewDisposeScope())   // the float64 copies
                    foreach (var (name, parameter) in parameters) sums[name].add_(parameter.to(float64));
                sources.Add($"{IO.RecordedPath.Of(path)} step {model.Step} {kind}");
                stepsRead.Add(model.Step);
            }
            using var scalars = new Runtime.HeldScalars();
            var count = scalars.Of(paths.Count);
            using (no_grad())
                foreach (var (name, parameter) in last!.Network.named_parameters())
                    parameter.copy_(sums![name].div_(count));
            var averaged = new TrainedModel
            {
                Network = last.Network, Prior = last.Prior, Device = last.Device, NormStatistics = null,
                Header = last.Header with { Weights = "ema", AveragedFrom = sources.ToArray() },
            };
            last.NormStatistics?.Dispose();   // measured for the last checkpoint's weights, not the mean
            last = null;                      // its network and prior now belong to the average
            return averaged;
        }
        finally
        {
            last?.Dispose();
            if (sums is not null) foreach (var sum in sums.Values) sum.Dispose();
        }
    }

    private static void Check(TrainedModel first, string firstPath, TrainedModel next, string nextPath)
    {
        TrainConfig a = first.Config, b = next.Config;
        var (ha, hb) = (first.Header, next.Header);
        if (a.Model != b.Model || a.BaseWidth != b.BaseWidth || a.ClassOptionsOf() != b.ClassOptionsOf()
            || (ha.Channels, ha.Height, ha.Width) != (hb.Channels, hb.Height, hb.Width))
            throw new ArgumentException($"'{nextPath}' is another network than '{firstPath}' ({b.Model} width " +
                $"{b.BaseWidth}, {hb.Channels}×{hb.Height}×{hb.Width}, against {a.Model} width {a.BaseWidth}, " +
                $"{ha.Channels}×{ha.Height}×{ha.Width}): only one network's checkpoints average");
        if (ha.Prior != hb.Prior || !ClassComposition.SameTensors(first.Prior.Statistics, next.Prior.Statistics))
            throw new ArgumentException($"'{nextPath}' was trained from another prior than '{firstPath}' ({hb.Prior} " +
                                        $"against {ha.Prior}, or their statistics)");
    }
}
