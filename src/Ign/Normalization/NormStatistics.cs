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
/// every BatchNorm layer, by buffer name ("encoder.bn2.running_mean", ...), for noise, images and generated images;
/// optionally also for images of a kind of corruption ("lowres", "sketch"), which a projection told what it is given
/// uses instead of the clean images' set (<see cref="ImagesLike"/>).
/// </summary>
public sealed class NormStatistics : IDisposable
{
    private readonly Dictionary<InputKind, Dictionary<string, Tensor>> sets;
    private readonly Dictionary<string, Dictionary<string, Tensor>> imageKinds;
    private readonly string? imagesLike;   // a view's kind of image, whose set stands in for the Image set
    private readonly bool ownsTensors = true;

    public NormStatistics(Dictionary<InputKind, Dictionary<string, Tensor>> sets,
        Dictionary<string, Dictionary<string, Tensor>>? imageKinds = null)
    {
        foreach (var kind in Enum.GetValues<InputKind>())
            if (!sets.ContainsKey(kind))
                throw new InvalidDataException($"BatchNorm statistics for {kind} inputs are missing");
        this.sets = sets;
        this.imageKinds = imageKinds ?? [];
    }

    private NormStatistics(NormStatistics of, string imagesLike)
    {
        (sets, imageKinds, this.imagesLike, ownsTensors) = (of.sets, of.imageKinds, imagesLike, false);
    }

    public IReadOnlyDictionary<string, Tensor> For(InputKind kind) => sets[kind];

    /// <summary>The kinds of corrupted image with a set of their own ("lowres", ...), sorted.</summary>
    public IReadOnlyList<string> ImageKinds => [.. imageKinds.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The set of images corrupted by <paramref name="kind"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> ForImagesLike(string kind) =>
        imageKinds.TryGetValue(kind, out var set)
            ? set
            : throw new ArgumentException($"this model has no BatchNorm statistics for '{kind}' images (it has: " +
                $"{(imageKinds.Count == 0 ? "none" : string.Join(", ", ImageKinds))}; add them with `ign export " +
                $"--recalibrate-bn 40 --image-kinds {kind}`)");

    /// <summary>
    /// These statistics with the set of images corrupted by <paramref name="kind"/> in place of the clean images'
    /// (null: these as they are): for projecting an input known to be of that kind. The view shares this object's
    /// tensors; dispose this one, not the view (disposing the view does nothing).
    /// </summary>
    public NormStatistics ImagesLike(string? kind)
    {
        if (kind is null) return this;
        ForImagesLike(kind);    // refuses an unknown kind here, not at the first application
        return new NormStatistics(this, kind);
    }

    /// <summary>
    /// The kind of image a projection's first application takes its statistics from: <paramref name="asked"/> when
    /// given ("image": the clean images' set, returned as null), else (null, empty or "auto") the kind of
    /// <paramref name="corruptionSpec"/> when <paramref name="statistics"/> hold a set for it, else null (the clean
    /// images' set).
    /// </summary>
    public static string? ChooseImageKind(string? asked, string? corruptionSpec, NormStatistics? statistics) =>
        asked?.Trim().ToLowerInvariant() switch
        {
            "image" => null,
            "" or "auto" => ChooseImageKind(null, corruptionSpec, statistics),
            { } kind => kind,
            null when corruptionSpec is not null && !corruptionSpec.Contains('+')
                      && statistics?.imageKinds.ContainsKey(KindName(corruptionSpec)) == true
                => KindName(corruptionSpec),
            null => null,
        };

    /// <summary>The kind name a corruption's set is filed under: its spec's name ("lowres" of "lowres:size=7").
    /// </summary>
    public static string KindName(string corruptionSpec) => corruptionSpec.Split(':', 2)[0].Trim().ToLowerInvariant();

    /// <summary>
    /// The kind of input the k-th application of f sees (k ≥ 1) when the first sees <paramref name="first"/>.
    /// </summary>
    public static InputKind KindAt(int k, InputKind first) => k == 1 ? first : InputKind.Generated;

    /// <summary>Copy one set into f's BatchNorm running buffers.</summary>
    public void Apply(Module<Tensor, Tensor> f, InputKind kind)
    {
        var set = kind == InputKind.Image && imagesLike is not null ? imageKinds[imagesLike] : sets[kind];
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

    /// <summary>Flat names for a checkpoint: "noise.encoder.bn2.running_mean", ..., "image-lowres.encoder...".
    /// </summary>
    public Dictionary<string, Tensor> ToFlat() =>
        sets.SelectMany(kv => kv.Value.Select(t =>
                KeyValuePair.Create($"{kv.Key.ToString().ToLowerInvariant()}.{t.Key}", t.Value)))
            .Concat(imageKinds.SelectMany(kv => kv.Value.Select(t =>
                KeyValuePair.Create($"{ImageKindPrefix}{kv.Key}.{t.Key}", t.Value))))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    private const string ImageKindPrefix = "image-";

    /// <summary>The kind of corrupted image whose set a flat entry (<see cref="ToFlat"/>) belongs to ("lowres" of
    /// "image-lowres.encoder.bn2.running_mean"); null for the noise, image and generated sets.</summary>
    public static string? ImageKindOf(string flatKey)
    {
        int dot = flatKey.IndexOf('.');
        string prefix = dot < 0 ? flatKey : flatKey[..dot];
        return prefix.StartsWith(ImageKindPrefix, StringComparison.Ordinal) && prefix.Length > ImageKindPrefix.Length
            ? prefix[ImageKindPrefix.Length..]
            : null;
    }

    /// <summary>A copy of every set on <paramref name="device"/>, owning its tensors (null when there are none).
    /// </summary>
    /// <param name="aliases">layers whose statistics are also given under another name: every entry of a layer under
    /// From ("encoder.") is copied under To ("label_encoder."), for layers started as a copy of others</param>
    public NormStatistics? CopyTo(Device device, IReadOnlyList<(string From, string To)>? aliases = null)
    {
        var flat = ToFlat();
        var copies = flat.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.to(device).clone())).ToList();
        foreach (var (from, to) in aliases ?? [])
            foreach (var (key, tensor) in flat)
            {
                int dot = key.IndexOf('.');
                if (key.AsSpan(dot + 1).StartsWith(from, StringComparison.Ordinal))
                    copies.Add(KeyValuePair.Create($"{key[..(dot + 1)]}{to}{key[(dot + 1 + from.Length)..]}",
                        tensor.to(device).clone()));
            }
        return FromFlat(copies.ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    public static NormStatistics? FromFlat(IReadOnlyDictionary<string, Tensor> flat)
    {
        if (flat.Count == 0) return null;
        var sets = new Dictionary<InputKind, Dictionary<string, Tensor>>();
        var imageKinds = new Dictionary<string, Dictionary<string, Tensor>>();
        foreach (var (key, tensor) in flat)
        {
            int dot = key.IndexOf('.');
            string prefix = dot < 0 ? key : key[..dot], name = key[(dot + 1)..];
            if (dot > 0 && ImageKindOf(key) is { } imageKind) Add(imageKinds, imageKind, name, tensor);
            else if (dot > 0 && Enum.TryParse<InputKind>(prefix, ignoreCase: true, out var kind))
                Add(sets, kind, name, tensor);
            else throw new InvalidDataException($"unknown BatchNorm statistics entry '{key}'");
        }
        return new NormStatistics(sets, imageKinds);

        static void Add<TKey>(Dictionary<TKey, Dictionary<string, Tensor>> into, TKey set, string name, Tensor t)
            where TKey : notnull =>
            (into.TryGetValue(set, out var found) ? found : into[set] = [])[name] = t;
    }

    public void Dispose()
    {
        if (!ownsTensors) return;
        foreach (var t in sets.Values.Concat(imageKinds.Values).SelectMany(s => s.Values)) t.Dispose();
    }
}
