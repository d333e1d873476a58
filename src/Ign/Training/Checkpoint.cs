using System.Text.Json;
using Ign.IO;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Training;

/// <summary>What a checkpoint's JSON header says; the tensors travel beside it.</summary>
public sealed record CheckpointHeader
{
    public string Format { get; init; } = Checkpoint.FormatName;
    public int Version { get; init; } = Checkpoint.FormatVersion;
    // "full" (resumable) or "model" (weights, prior, config only)
    public string Kind { get; init; } = "full";
    public required TrainConfig Config { get; init; }
    public required long Step { get; init; }
    public required string Prior { get; init; }
    public required int Channels { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    public long AdamStep { get; init; }
    // what "model.*" holds in a model-only checkpoint: "live" weights or their "ema"
    public string Weights { get; init; } = "live";
    // an averaged model's sources (`ign average`), "<file> step <N> <weights>" each; null for a trained one
    public string[]? AveragedFrom { get; init; }
    // batches used to recompute BatchNorm statistics (0 = as trained)
    public int BatchNormRecalibrated { get; init; }
    public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("O");
}

/// <summary>
/// A checkpoint: model weights and buffers ("model.*"), prior statistics ("prior.*"), and for a full
/// checkpoint the Adam moments ("adam.m.i", "adam.v.i") and torch's RNG state ("rng"), with the header.
/// Written atomically by <see cref="TensorArchive"/>; loading validates format, version and checksum.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    public const string FormatName = "ign-checkpoint";
    public const int FormatVersion = 1;

    public required CheckpointHeader Header { get; init; }
    public required Dictionary<string, Tensor> ModelState { get; init; }
    public required Dictionary<string, Tensor> PriorStatistics { get; init; }
    public Tensor[]? AdamFirstMoments { get; init; }
    public Tensor[]? AdamSecondMoments { get; init; }
    public Tensor? RngState { get; init; }
    public Dictionary<string, Tensor>? EmaState { get; init; } // "ema.*": the weight average, when training keeps one
    // "norm.*": BatchNorm statistics per kind of input, in recalibrated model exports
    public Normalization.NormStatistics? NormStatistics { get; init; }

    public bool IsResumable => Header.Kind == "full" && AdamFirstMoments is not null && RngState is not null;

    public void Save(string path)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        tensors.AddRange(ModelState.Select(kv => KeyValuePair.Create("model." + kv.Key, kv.Value)));
        tensors.AddRange(PriorStatistics.Select(kv => KeyValuePair.Create("prior." + kv.Key, kv.Value)));
        if (AdamFirstMoments is not null && AdamSecondMoments is not null)
            for (int i = 0; i < AdamFirstMoments.Length; i++)
            {
                tensors.Add(KeyValuePair.Create($"adam.m.{i}", AdamFirstMoments[i]));
                tensors.Add(KeyValuePair.Create($"adam.v.{i}", AdamSecondMoments[i]));
            }
        if (RngState is not null) tensors.Add(KeyValuePair.Create("rng", RngState));
        if (EmaState is not null)
            tensors.AddRange(EmaState.Select(kv => KeyValuePair.Create("ema." + kv.Key, kv.Value)));
        if (NormStatistics is not null)
            tensors.AddRange(NormStatistics.ToFlat().Select(kv => KeyValuePair.Create("norm." + kv.Key, kv.Value)));
        TensorArchive.Save(path, Json.Serialize(Header), tensors);
    }

    /// <summary>
    /// A config written before a field existed means that field's value of the time, not today's default: the
    /// defaults moved from seed 002 to `tuned` (constant → cosine lr from step 3 510, 50 → 20 epochs,
    /// λ_t 2.5 → 5).
    /// </summary>
    private static string WithOldDefaults(string headerJson)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(headerJson) is not System.Text.Json.Nodes.JsonObject header
            || header["config"] is not System.Text.Json.Nodes.JsonObject config) return headerJson;
        void Fill(string key, System.Text.Json.Nodes.JsonNode value)
        {
            if (!config.ContainsKey(key)) config[key] = value;
        }
        Fill("preset", "seed002");
        Fill("epochs", 50);
        Fill("lrSchedule", "constant");
        Fill("lrDecayFrom", 0);
        Fill("objective", new System.Text.Json.Nodes.JsonObject { ["lambdaTight"] = 2.5, ["clamp"] = "none" });
        return header.ToJsonString();
    }

    public static Checkpoint Load(string path)
    {
        // A PyTorch state_dict (.pt, .safetensors) reads as a model-only checkpoint
        if (Interop.StateDictFormats.OfFile(path) is { } format) return StateDictCheckpoint.Load(path, format);
        var (headerJson, tensors) = TensorArchive.Load(path);
        CheckpointHeader header;
        try { header = Json.Deserialize<CheckpointHeader>(WithOldDefaults(headerJson)); }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable checkpoint header ({e.Message})");
        }
        if (header.Format != FormatName)
            throw new InvalidDataException($"{path}: not an IGN checkpoint (format '{header.Format}')");
        if (header.Version != FormatVersion)
            throw new InvalidDataException($"{path}: checkpoint format version {header.Version} is not supported "
                + $"(this build reads version {FormatVersion})");
        var model = Strip(tensors, "model.");
        var prior = Strip(tensors, "prior.");
        int moments = tensors.Keys.Count(k => k.StartsWith("adam.m.", StringComparison.Ordinal));
        return new Checkpoint
        {
            Header = header,
            ModelState = model,
            PriorStatistics = prior,
            AdamFirstMoments = moments > 0
                ? Enumerable.Range(0, moments).Select(i => tensors[$"adam.m.{i}"]).ToArray()
                : null,
            AdamSecondMoments = moments > 0
                ? Enumerable.Range(0, moments).Select(i => tensors[$"adam.v.{i}"]).ToArray()
                : null,
            RngState = tensors.GetValueOrDefault("rng"),
            EmaState = Strip(tensors, "ema.") is { Count: > 0 } ema ? ema : null,
            NormStatistics = ReadNormStatistics(tensors, path),
        };
    }

    private static Normalization.NormStatistics? ReadNormStatistics(Dictionary<string, Tensor> tensors, string path)
    {
        try { return Normalization.NormStatistics.FromFlat(Strip(tensors, "norm.")); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}"); }
    }

    private static Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    public void Dispose()
    {
        foreach (var t in ModelState.Values.Concat(PriorStatistics.Values)) t.Dispose();
        foreach (var t in (AdamFirstMoments ?? []).Concat(AdamSecondMoments ?? [])) t.Dispose();
        RngState?.Dispose();
        if (EmaState is not null) foreach (var t in EmaState.Values) t.Dispose();
        NormStatistics?.Dispose();
    }
}
