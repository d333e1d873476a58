using TorchSharp;
using Ign.IO;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// What a saved encoder says about itself: its shape, what it was trained on, and how well its autoencoder
/// reconstructs.
/// </summary>
public sealed record AutoencoderHeader : IArchiveHeader
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
        ModuleArchive.Save(path, header, encoder);

    /// <param name="dataset">Named in the error when the file is missing, so it can say how to train one.</param>
    public static (ImageEncoder Encoder, AutoencoderHeader Header) Load(string path, Device device,
        string? dataset = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no encoder here " +
                $"(train one with `ign encoder train --dataset {dataset ?? "NAME"} --out {path}`)");
        return ModuleArchive.Load<ImageEncoder, AutoencoderHeader>(path, device, FormatName, "image encoder",
            header => new ImageEncoder(header.Channels, header.ImageSize, header.Width));
    }
}
