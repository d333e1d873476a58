using TorchSharp;
using Ign.IO;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>What a saved classifier says about itself.</summary>
public sealed record ClassifierHeader : IArchiveHeader
{
    public string Format { get; init; } = ClassifierFile.FormatName;
    public int Version { get; init; } = 1;
    public required double TestAccuracy { get; init; }
    public required int Epochs { get; init; }
    public required int Seed { get; init; }
    public required string Dataset { get; init; }
    public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("O");
}

/// <summary>Saves and loads the evaluation classifier (weights + header) as a checksummed tensor archive.</summary>
public static class ClassifierFile
{
    public const string FormatName = "ign-mnist-classifier";

    /// <summary>The data sets a classifier can be trained on and score models of (1×28×28, ten classes).</summary>
    public static readonly string[] Datasets = ["mnist", "fashion-mnist"];

    /// <summary>Whose classifier scores a 1×28×28 model trained on <paramref name="modelDataset"/>: a data set of
    /// <see cref="Datasets"/> its own (against its own test set), every other one MNIST's.</summary>
    public static string DatasetScoring(string modelDataset) =>
        Datasets.Contains(modelDataset) ? modelDataset : "mnist";

    /// <summary>The classifier of <paramref name="dataset"/> committed under data/classifier/ and copied next to
    /// every program: data/classifier/&lt;dataset&gt;-lenet.ign.</summary>
    public static string DefaultPath(string dataset = "mnist")
    {
        string path = RelativePath(dataset);
        return ProgramFiles.Find(path) ?? Path.Combine(AppContext.BaseDirectory, path);
    }

    /// <summary>data/classifier/&lt;dataset&gt;-lenet.ign, where the repository keeps it.</summary>
    public static string RelativePath(string dataset) => Path.Combine("data", "classifier", $"{dataset}-lenet.ign");

    public static void Save(string path, MnistClassifier classifier, ClassifierHeader header) =>
        ModuleArchive.Save(path, header, classifier);

    public static (MnistClassifier Classifier, ClassifierHeader Header) Load(string path, Device device)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no classifier here (train one with `ign classifier train`)");
        return ModuleArchive.Load<MnistClassifier, ClassifierHeader>(path, device, FormatName, "MNIST classifier",
            _ => new MnistClassifier());
    }
}
