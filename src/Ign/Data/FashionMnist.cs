namespace Ign.Data;

/// <summary>
/// Fashion-MNIST as Debian's package dataset-fashion-mnist installs it: the four gzipped IDX files in MNIST's layout.
/// </summary>
public static class FashionMnist
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    public static ImageDataset Load(Split split, string folder = DebianFolder) => Directory.Exists(folder)
        ? MnistFolder.Load(folder, split)
        : throw new DirectoryNotFoundException(
            $"Fashion-MNIST is not installed ({folder} is missing): sudo apt-get install dataset-fashion-mnist, " +
            "or use --dataset idx --data FOLDER with its four IDX files");
}
