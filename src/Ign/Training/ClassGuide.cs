using Ign.Data;
using Ign.Evaluation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Training;

/// <summary>
/// The frozen classifier of λ_g (--class-guide): a classifier file of the run's data set, never the one the
/// evaluation scores with, since agreement measured by the classifier a model was trained against would read high.
/// </summary>
public static class ClassGuide
{
    /// <summary>The --class-guide value that asks for <see cref="ClassMeanClassifier"/> instead of a file.</summary>
    public const string ClassMeans = "means";

    /// <summary>The guide that a --class-guide value names: the class means of <paramref name="trainSet"/> for
    /// <see cref="ClassMeans"/>, else the classifier file at that path (<see cref="Load"/>).</summary>
    public static Module<Tensor, Tensor> For(string value, ImageDataset trainSet, string dataset, int classes,
                                             Device device) =>
        value == ClassMeans
            ? new ClassMeanClassifier(trainSet, classes, device)
            : Load(value, dataset, classes, device);

    /// <summary>The classifier at <paramref name="path"/> on <paramref name="device"/>, in eval mode with its weights
    /// frozen; a one-line error when it is missing, of another data set, or the evaluation's own.</summary>
    public static Module<Tensor, Tensor> Load(string path, string dataset, int classes, Device device)
    {
        if (!File.Exists(path)) throw new ArgumentException($"--class-guide: no such classifier '{path}'");
        if (classes != MnistClassifier.ClassCount)
            throw new ArgumentException($"--class-guide: the classifier knows {MnistClassifier.ClassCount} classes, " +
                                        $"the run's data {classes}");
        string scoring = ClassifierFile.DefaultPath(ClassifierFile.DatasetScoring(dataset));
        if (File.Exists(scoring) && SameBytes(path, scoring))
            throw new ArgumentException($"--class-guide: '{path}' is the classifier the evaluation scores with; " +
                                        "train another (ign classifier train --seed N --out FILE)");
        var (classifier, header) = ClassifierFile.Load(path, device);
        if (header.Dataset != dataset)
        {
            classifier.Dispose();
            throw new ArgumentException($"--class-guide: '{path}' classifies {header.Dataset}, the run trains on " +
                                        dataset);
        }
        classifier.eval();
        foreach (var parameter in classifier.parameters()) parameter.requires_grad = false;
        return classifier;
    }

    private static bool SameBytes(string a, string b) =>
        new FileInfo(a).Length == new FileInfo(b).Length && File.ReadAllBytes(a).AsSpan()
            .SequenceEqual(File.ReadAllBytes(b));
}
