using System.Security.Cryptography;

namespace Ign.Data;

public enum Split { Train, Test }

/// <summary>
/// A folder in the MNIST layout: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
/// t10k-labels-idx1-ubyte, each optionally gzipped (.gz). MNIST and Fashion-MNIST both ship this way.
/// The embedded copy of MNIST is checked against the canonical SHA-256 of the decompressed files.
/// </summary>
public static class MnistFolder
{
    public static readonly IReadOnlyDictionary<string, string> CanonicalMnistSha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    /// <summary>The embedded MNIST folder: next to the program, or data/mnist in the repository above it.</summary>
    public static string EmbeddedMnistPath() =>
        Path.GetDirectoryName(EmbeddedData.Find("mnist", "train-images-idx3-ubyte.gz")
            ?? throw new DirectoryNotFoundException(
                "the embedded MNIST data (data/mnist) is missing from this installation"))!;

    /// <summary>Load the embedded MNIST split, verifying the canonical checksums.</summary>
    public static ImageDataset LoadEmbeddedMnist(Split split) =>
        Load(EmbeddedMnistPath(), split, verifyCanonicalMnist: true);

    public static ImageDataset Load(string folder, Split split, bool verifyCanonicalMnist = false)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: data folder not found");
        string prefix = split == Split.Train ? "train" : "t10k";
        var (imagesPath, imageBytes) = ReadMember(folder, $"{prefix}-images-idx3-ubyte", verifyCanonicalMnist);
        var (labelsPath, labelBytes) = ReadMember(folder, $"{prefix}-labels-idx1-ubyte", verifyCanonicalMnist);
        var images = IdxFile.Parse(imageBytes, imagesPath);
        var labels = IdxFile.Parse(labelBytes, labelsPath);
        if (images.Shape.Length != 3)
            throw new InvalidDataException(
                $"{imagesPath}: expected 3 dimensions (N, H, W), found {images.Shape.Length}");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected 1 dimension (N), found {labels.Shape.Length}");
        if (labels.Shape[0] != images.Shape[0])
            throw new InvalidDataException(
                $"{labelsPath}: {labels.Shape[0]} labels for {images.Shape[0]} images in {imagesPath}");
        return new ImageDataset($"{Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))}/{prefix}",
            images.Values, images.Shape[0], 1, images.Shape[1], images.Shape[2], labels.Values);
    }

    private static (string Path, byte[] Bytes) ReadMember(string folder, string name, bool verify)
    {
        string[] candidates = [Path.Combine(folder, name + ".gz"), Path.Combine(folder, name)];
        string path = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{folder}: missing {name} (or {name}.gz)");
        byte[] bytes = IdxFile.ReadDecompressed(path);
        if (verify && CanonicalMnistSha256.TryGetValue(name, out var expected))
        {
            string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (actual != expected)
                throw new InvalidDataException($"{path}: SHA-256 {actual} is not the canonical MNIST {expected}");
        }
        return (path, bytes);
    }
}
