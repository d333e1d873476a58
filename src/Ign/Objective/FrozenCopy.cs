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
    private readonly (Module Source, Module Target)[] layers;

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
        layers = f.modules().Zip(Module.modules()).ToArray();   // the same architecture: the same order
        Sync(f);
    }

    /// <summary>Copy every parameter and buffer of f into the copy, in place, and match f's train/eval mode layer by
    /// layer, so that a layer f has switched on its own (dropout paused by <see cref="Models.DropoutPause"/>) is
    /// switched in the copy too.</summary>
    public void Sync(Module<Tensor, Tensor> f)
    {
        using (no_grad())
            foreach (var (source, target) in pairs) target.copy_(source);
        Module.train(f.training);
        // parents come before their children, so a layer set here is not undone by its parent's recursive train()
        foreach (var (source, target) in layers)
            if (target.training != source.training) target.train(source.training);
    }

    public void Dispose() => Module.Dispose();
}
