using Ign.Interop;
using Ign.IO;
using Ign.Models;
using Ign.Normalization;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Training;

/// <summary>
/// A trained model as a PyTorch state_dict (.pt or .safetensors) in seed 002's names (<see cref="SeedNames"/>), with
/// a JSON sidecar (<c>model.ign.json</c>) holding the config, the prior's statistics and the step; and such a file
/// read back as a model-only checkpoint, so every --checkpoint takes one. Without a sidecar the architecture and
/// width are read off the tensors' shapes, the data set off the image shape, and the prior is N(0, 1).
/// </summary>
public static class StateDictCheckpoint
{
    public const string SidecarFormat = "ign-state-dict-sidecar";

    public static string SidecarPath(string path) => Path.ChangeExtension(path, ".ign.json");

    /// <summary>Writes <paramref name="source"/>'s network (float16 when asked) and its sidecar. The BatchNorm
    /// buffers hold the network's trained running statistics or one per-input set of the checkpoint's: one set, so
    /// the others stay in .ckpt files. A conditional network's class parts are written beside seed 002's tensors
    /// (<see cref="SeedNames.Of"/>).
    /// </summary>
    /// <param name="runningStatistics">what the BatchNorm buffers carry: null, the trained buffers; or the
    /// checkpoint's per-input set for that kind of input (<see cref="InputKind.Noise"/>: f(z) one image at a time in
    /// PyTorch's eval mode as ign samples it)</param>
    public static void Export(string source, string destination, StateDictFormat format, bool half,
        WeightChoice weights = WeightChoice.Sampling, InputKind? runningStatistics = null)
    {
        using var model = TrainedModel.Load(source, CPU, weights);
        using var scope = NewDisposeScope();
        var names = SeedNames.Of(model.Network);
        var buffers = runningStatistics is { } kind
            ? (model.NormStatistics ?? throw new ArgumentException($"{source} has no per-input BatchNorm statistics "
                + "to export; make them with ign export --recalibrate-bn 40 --out model.ckpt first")).For(kind)
            : null;
        var state = model.Network.state_dict()
            .Select(kv => (kv.Key, Value: buffers?.GetValueOrDefault(kv.Key) ?? kv.Value))
            .Select(kv => KeyValuePair.Create(names[kv.Key],
                half && kv.Value.is_floating_point() ? kv.Value.to(float16) : kv.Value))
            .ToList();
        StateDictFile.Save(destination, state, format);
        var sidecar = new StateDictSidecar
        {
            Header = model.Header with { Kind = "model", AdamStep = 0, CreatedUtc = DateTime.UtcNow.ToString("O") },
            Prior = model.Prior.Statistics.ToDictionary(kv => kv.Key, kv => SidecarTensor.Of(kv.Value)),
            RunningStatistics = runningStatistics is { } k ? RunningStatisticsName(k) : "trained",
        };
        AtomicFile.WriteAllText(SidecarPath(destination), Json.Serialize(sidecar));
    }

    /// <summary>What <c>ign export --running-stats</c> calls each kind of input's set.</summary>
    public static string RunningStatisticsName(InputKind kind) => kind switch
    {
        InputKind.Noise => "noise",
        InputKind.Image => "images",
        _ => "generated",
    };

    /// <summary>"trained" (null) or a kind of input's set, as <c>--running-stats</c> names them.</summary>
    public static InputKind? ParseRunningStatistics(string name)
    {
        string wanted = name.Trim().ToLowerInvariant();
        if (wanted == "trained") return null;
        foreach (var kind in Enum.GetValues<InputKind>())
            if (RunningStatisticsName(kind) == wanted) return kind;
        throw new ArgumentException($"--running-stats must be trained, noise, images or generated, got '{name}'");
    }

    /// <summary>A .pt or .safetensors file as a model-only checkpoint.</summary>
    public static Checkpoint Load(string path, StateDictFormat format)
    {
        var saved = StateDictFile.Load(path, format);
        var sidecar = ReadSidecar(path);
        var header = sidecar?.Header ?? Infer(saved, path);
        using var network = ModelFactory.Build(header.Config.Model, header.Channels, header.Height,
            header.Config.BaseWidth, header.Config.ClassOptionsOf());
        return new Checkpoint
        {
            Header = header with { Kind = "model" },
            ModelState = InOurNames(saved, network),
            PriorStatistics = sidecar?.Prior.ToDictionary(kv => kv.Key, kv => kv.Value.ToTensor()) ?? [],
        };
    }

    private static StateDictSidecar? ReadSidecar(string path)
    {
        string file = SidecarPath(path);
        if (!File.Exists(file)) return null;
        StateDictSidecar sidecar;
        try { sidecar = Json.Deserialize<StateDictSidecar>(File.ReadAllText(file)); }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{file}: unreadable sidecar ({e.Message})");
        }
        if (sidecar.Format != SidecarFormat)
            throw new InvalidDataException($"{file}: not an ign sidecar (format '{sidecar.Format}')");
        return sidecar;
    }

    /// <summary>Seed 002's names translated to ours; names we do not know are kept, for LoadState to report.</summary>
    private static Dictionary<string, Tensor> InOurNames(Dictionary<string, Tensor> saved, Module network)
    {
        if (!SeedNames.AreSeedNames(saved.Keys)) return saved;
        var ours = SeedNames.Of(network).ToDictionary(kv => kv.Value, kv => kv.Key);
        return saved.ToDictionary(kv => ours.GetValueOrDefault(kv.Key, kv.Key), kv => kv.Value);
    }

    /// <summary>The header a sidecar would have said: the architecture whose names and shapes the tensors fit.
    /// </summary>
    private static CheckpointHeader Infer(Dictionary<string, Tensor> saved, string path)
    {
        var first = saved.GetValueOrDefault("discriminator.main.0.weight")
            ?? saved.GetValueOrDefault("encoder.conv1.weight")
            ?? throw new InvalidDataException($"{path}: not an IGN network's state_dict " +
                "(no discriminator.main.0.weight; " +
                $"first key '{saved.Keys.First()}')");
        if (saved.Keys.Any(CodeNetwork.IsClassTable))
            throw new InvalidDataException($"{path}: a class-conditional network without its sidecar " +
                $"({Path.GetFileName(SidecarPath(path))}, written by ign export), which says how it is conditioned");
        if (first.dim() != 4)
            throw new InvalidDataException($"{path}: the first convolution's weight is not 4-dimensional");
        int width = (int)first.shape[0], channels = (int)first.shape[1];
        foreach (var name in ModelFactory.Names)
        {
            int size = ModelFactory.ImageSize(name);
            Module<Tensor, Tensor> network;
            try { network = ModelFactory.Build(name, channels, size, width); }
            catch (ArgumentException) { continue; }
            using (network)
                if (Fits(InOurNames(saved, network), network))
                    return new CheckpointHeader
                    {
                        Kind = "model", Step = 0, Prior = "gaussian", Channels = channels, Height = size, Width = size,
                        Config = new TrainConfig
                        {
                            Preset = "pytorch", Dataset = DatasetOfShape(channels, size, path), Model = name,
                            BaseWidth = width, Prior = Priors.PriorKind.Gaussian,
                        },
                    };
        }
        throw new InvalidDataException($"{path}: its tensors fit none of ign's architectures " +
            $"({string.Join(", ", ModelFactory.Names)}) " +
            $"at width {width} with {channels} channel(s)");
    }

    private static bool Fits(Dictionary<string, Tensor> saved, Module network)
    {
        var own = network.state_dict();
        return own.Count == saved.Count
            && own.All(kv => saved.TryGetValue(kv.Key, out var t) && t.shape.SequenceEqual(kv.Value.shape));
    }

    private static string DatasetOfShape(int channels, int size, string path) => (channels, size) switch
    {
        (1, 28) => "mnist",
        (3, 64) => "emoji",
        _ => throw new InvalidDataException($"{path}: {channels}×{size}×{size} images match no embedded data set; " +
            "write a sidecar (ign export does) that names one"),
    };
}

/// <summary>What travels beside an exported state_dict: everything of a model-only checkpoint but the weights.
/// </summary>
public sealed record StateDictSidecar
{
    public string Format { get; init; } = StateDictCheckpoint.SidecarFormat;
    public int Version { get; init; } = 1;
    // how the state_dict's keys are formed (Interop.SeedNames)
    public string Naming { get; init; } = "seed002-positional";
    public required CheckpointHeader Header { get; init; }
    public Dictionary<string, SidecarTensor> Prior { get; init; } = [];
    // what the BatchNorm buffers hold: "trained", or the per-input set of "noise", "images" or "generated"
    public string RunningStatistics { get; init; } = "trained";
}

/// <summary>A small float tensor in JSON: its shape and its values in row-major order.</summary>
public sealed record SidecarTensor(long[] Shape, float[] Values)
{
    public static SidecarTensor Of(Tensor tensor)
    {
        using var values = tensor.detach().to(float32).cpu().contiguous();
        return new SidecarTensor(tensor.shape, values.data<float>().ToArray());
    }

    public Tensor ToTensor() => tensor(Values).reshape(Shape);
}
