using TorchSharp;
using System.Text.Json;
using Ign.IO;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// What a saved encoder says about itself: its shape, what it was trained on, and how well its autoencoder
/// reconstructs.
/// </summary>
public sealed record AutoencoderHeader
{
    public string Format { get; init; } = AutoencoderFile.FormatName;
    public int Version { get; init; } = 1;
    public required string Dataset { get; init; }
    public required int Channels { get; init; }
    public required int ImageSize { get; init; }
    public required int Width { get; init; }
    public int FeatureCount { get; init; } = ImageEncoder.FeatureCount;
    public required int Epochs { get; init; }
    public required int Seed { get; init; }
    public required int TrainImages { get; init; }
    // mean |g(e(x)) − x| per pixel on the test split, pixels in [-1, 1]
    public required double TestReconstructionError { get; init; }
    public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("O");
}

/// <summary>
/// Saves and loads the evaluation encoder of a data set without a classifier (the autoencoder's encoder half and a
/// header) as a checksummed tensor archive; the decoder is only needed to train it and is not kept.
/// </summary>
public static class AutoencoderFile
{
    public const string FormatName = "ign-image-encoder";

    /// <summary>
    /// data/encoders/&lt;dataset&gt;-ae.ign next to the program (where the committed ones are copied), else in the
    /// current folder.
    /// </summary>
    public static string DefaultPath(string dataset)
    {
        string path = Path.Combine("data", "encoders", $"{dataset}-ae.ign");
        return ProgramFiles.Find(path) ?? path;
    }

    public static void Save(string path, ImageEncoder encoder, AutoencoderHeader header) =>
        TensorArchive.Save(path, Json.Serialize(header), encoder.state_dict());

    /// <param name="dataset">Named in the error when the file is missing, so it can say how to train one.</param>
    public static (ImageEncoder Encoder, AutoencoderHeader Header) Load(string path, Device device,
        string? dataset = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no encoder here " +
                $"(train one with `ign encoder train --dataset {dataset ?? "NAME"} --out {path}`)");
        var (json, tensors) = TensorArchive.Load(path);
        try
        {
            if (FormatOf(json) is var format && format != FormatName)
                throw new InvalidDataException($"{path}: not an image encoder (format '{format}')");
            AutoencoderHeader header;
            try { header = Json.Deserialize<AutoencoderHeader>(json); }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: unreadable encoder header ({e.Message.Split('\n')[0]})");
            }
            ImageEncoder encoder;
            try { encoder = new ImageEncoder(header.Channels, header.ImageSize, header.Width); }
            catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}"); }
            TrainedModel.LoadState(encoder, tensors, path);
            encoder.to(device).eval();
            return (encoder, header);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The header's "format" before the rest is read, so other archives (a classifier, a checkpoint) are named as such.
    /// </summary>
    private static string? FormatOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("format", out var f)
                && f.ValueKind == JsonValueKind.String
                    ? f.GetString()
                    : null;
        }
        catch (JsonException) { return null; }
    }
}
