using Ign.Data;
using Ign.Models;

namespace Ign.Training;

/// <summary>The images a config's Dataset names, by split: the one place that maps data-set names to loaders.</summary>
public static class TrainingData
{
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["mnist"] = "the embedded MNIST (1×28×28)",
        ["fashion-mnist"] = "Fashion-MNIST from Debian's dataset-fashion-mnist package (1×28×28)",
        ["emoji"] = "the embedded Noto emoji on white (3×64×64; every 10th held out)",
        ["folder"] = "every PNG/JPEG under --data, resized to the model's size and cached (every 10th held out)",
        ["idx"] = "a folder of IDX files in MNIST's layout (--data)",
    };

    /// <param name="report">Receives one line about a picture folder: decoding started; images found, skipped and where
    /// they are cached.</param>
    public static ImageDataset Load(TrainConfig config, Split split, Action<string>? report = null) =>
        config.Dataset switch
        {
            "mnist" => MnistFolder.LoadEmbeddedMnist(split),
            "fashion-mnist" => FashionMnist.Load(split),
            "emoji" => EmojiSet.LoadEmbeddedEmoji(split),
            "folder" => HoldOut.Select(LoadFolder(config, report), split),
            "idx" => MnistFolder.Load(config.DataPath!, split),
            _ => throw new ArgumentException(
                $"unknown dataset '{config.Dataset}' (known: {string.Join(", ", Descriptions.Keys)})"),
        };

    private static ImageDataset LoadFolder(TrainConfig config, Action<string>? report)
    {
        var result = ImageFolder.Load(config.DataPath!, ModelFactory.ImageSize(config.Model), config.Folder,
            report: report);
        report?.Invoke(result.Summary());
        return result.Images;
    }
}
