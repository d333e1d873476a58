using Ign.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Training;

/// <summary>
/// An exponential moving average of f's weights for sampling: after every optimizer step
/// θ_avg ← d·θ_avg + (1 − d)·θ, in place; buffers (BatchNorm statistics) are copied as they are.
/// Decay is warmed up as min(d, (1 + t)/(10 + t)) so early averages do not drag the random initialisation along.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly (Tensor Source, Tensor Target, bool Averaged)[] pairs;

    public Module<Tensor, Tensor> Module { get; }
    public double Decay { get; }

    public WeightAverage(Module<Tensor, Tensor> f, Module<Tensor, Tensor> emptyTwin, double decay)
    {
        if (decay is <= 0 or >= 1) throw new ArgumentException($"EMA decay must be between 0 and 1, got {decay}");
        (Module, Decay) = (emptyTwin, decay);
        foreach (var p in Module.parameters()) p.requires_grad = false;
        var parameterNames = f.named_parameters().Select(p => p.name).ToHashSet();
        var source = f.state_dict();
        var target = Module.state_dict();
        pairs = source.Keys.Select(k => (source[k], target[k], parameterNames.Contains(k))).ToArray();
        using (no_grad()) foreach (var (s, t, _) in pairs) t.copy_(s);
        Module.eval();
    }

    /// <summary>The decay used after optimizer step t (1-based).</summary>
    public double DecayAt(long step) => Math.Min(Decay, (1.0 + step) / (10.0 + step));

    public void Update(long step)
    {
        double d = DecayAt(step);
        using var _ = no_grad();
        using var scalars = new HeldScalars();
        Scalar decay = scalars.Of(d), rest = scalars.Of(1 - d);
        foreach (var (source, target, averaged) in pairs)
            if (averaged) target.mul_(decay).add_(source, alpha: rest);
            else target.copy_(source);
    }

    /// <summary>The averaged weights and buffers by name (views of the live tensors).</summary>
    public Dictionary<string, Tensor> State() => Module.state_dict();

    public void Load(IReadOnlyDictionary<string, Tensor> saved, string source, Func<string, bool>? mayLack = null) =>
        TrainedModel.LoadState(Module, saved, source, mayLack);

    public void Dispose() => Module.Dispose();
}
