using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Objective;

/// <summary>
/// The frozen copy f' (the paper's stop-gradient θ̂): same architecture as f, parameters that never
/// require gradient, re-synced from f at the start of every step by an in-place copy of every
/// parameter and buffer (no allocation). Gradient still flows through its input.
/// </summary>
public sealed class FrozenCopy : IDisposable
{
    private readonly (Tensor Source, Tensor Target)[] pairs;

    public Module<Tensor, Tensor> Module { get; }

    public FrozenCopy(Module<Tensor, Tensor> f, Module<Tensor, Tensor> emptyTwin)
    {
        Module = emptyTwin;
        foreach (var p in Module.parameters()) p.requires_grad = false;
        var source = f.state_dict();
        var target = Module.state_dict();
        if (source.Count != target.Count || !source.Keys.All(target.ContainsKey))
            throw new ArgumentException("the frozen copy must have the same architecture as f");
        pairs = source.Keys.Select(k => (source[k], target[k])).ToArray();
        Sync(f);
    }

    /// <summary>Copy every parameter and buffer of f into the copy, in place, and match f's train/eval mode.</summary>
    public void Sync(Module<Tensor, Tensor> f)
    {
        using (no_grad())
            foreach (var (source, target) in pairs) target.copy_(source);
        Module.train(f.training);
    }

    public void Dispose() => Module.Dispose();
}
