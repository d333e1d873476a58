using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Normalization;

/// <summary>
/// What an application of f is given: prior noise z, an image (real, drawn or corrupted), or an output of f.
/// </summary>
public enum InputKind { Noise, Image, Generated }

/// <summary>
/// BatchNorm running statistics per kind of input (<see cref="BatchNormRecalibration"/>): the means and variances of
/// every BatchNorm layer, by buffer name ("encoder.bn2.running_mean", ...), for noise, images and generated images.
/// </summary>
public sealed class NormStatistics : IDisposable
{
    private readonly Dictionary<InputKind, Dictionary<string, Tensor>> sets;

    public NormStatistics(Dictionary<InputKind, Dictionary<string, Tensor>> sets)
    {
        foreach (var kind in Enum.GetValues<InputKind>())
            if (!sets.ContainsKey(kind))
                throw new InvalidDataException($"BatchNorm statistics for {kind} inputs are missing");
        this.sets = sets;
    }

    public IReadOnlyDictionary<string, Tensor> For(InputKind kind) => sets[kind];

    /// <summary>
    /// The kind of input the k-th application of f sees (k ≥ 1) when the first sees <paramref name="first"/>.
    /// </summary>
    public static InputKind KindAt(int k, InputKind first) => k == 1 ? first : InputKind.Generated;

    /// <summary>Copy one set into f's BatchNorm running buffers.</summary>
    public void Apply(Module<Tensor, Tensor> f, InputKind kind)
    {
        var set = sets[kind];
        using var _ = no_grad();
        foreach (var (name, norm) in BatchNormLayers.In(f))
        {
            norm.running_mean!.copy_(Lookup(set, $"{name}.running_mean"));
            norm.running_var!.copy_(Lookup(set, $"{name}.running_var"));
        }
    }

    private static Tensor Lookup(Dictionary<string, Tensor> set, string key) =>
        set.TryGetValue(key, out var t)
            ? t
            : throw new InvalidDataException($"BatchNorm statistics have no '{key}': they belong to another model");

    /// <summary>Flat names for a checkpoint: "noise.encoder.bn2.running_mean", ...</summary>
    public Dictionary<string, Tensor> ToFlat() =>
        sets.SelectMany(kv => kv.Value.Select(t =>
                KeyValuePair.Create($"{kv.Key.ToString().ToLowerInvariant()}.{t.Key}", t.Value)))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    public static NormStatistics? FromFlat(IReadOnlyDictionary<string, Tensor> flat)
    {
        if (flat.Count == 0) return null;
        var sets = new Dictionary<InputKind, Dictionary<string, Tensor>>();
        foreach (var (key, tensor) in flat)
        {
            int dot = key.IndexOf('.');
            if (dot < 0 || !Enum.TryParse<InputKind>(key[..dot], ignoreCase: true, out var kind))
                throw new InvalidDataException($"unknown BatchNorm statistics entry '{key}'");
            (sets.TryGetValue(kind, out var set) ? set : sets[kind] = [])[key[(dot + 1)..]] = tensor;
        }
        return new NormStatistics(sets);
    }

    public void Dispose()
    {
        foreach (var t in sets.Values.SelectMany(s => s.Values)) t.Dispose();
    }
}
