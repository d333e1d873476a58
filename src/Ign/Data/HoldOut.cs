namespace Ign.Data;

/// <summary>
/// A fixed train/test split of a set that comes as one file or folder (emoji, picture folders): every
/// tenth image (index 9, 19, 29, ...) is held out for evaluation and projection, the rest is for training.
/// </summary>
public static class HoldOut
{
    public const int Every = 10;

    public static bool IsTest(int index) => index % Every == Every - 1;

    public static ImageDataset Select(ImageDataset all, Split split)
    {
        var indices = Enumerable.Range(0, all.Count).Where(i => IsTest(i) == (split == Split.Test)).ToArray();
        int per = all.PixelsPerImage;
        var pixels = new byte[(long)indices.Length * per];
        for (int k = 0; k < indices.Length; k++)
            all.Pixels.AsSpan((int)((long)indices[k] * per), per).CopyTo(pixels.AsSpan((int)((long)k * per), per));
        var labels = all.Labels is null ? null : indices.Select(i => all.Labels[i]).ToArray();
        return new ImageDataset($"{all.Name}/{(split == Split.Train ? "train" : "test")}", pixels, indices.Length,
            all.Channels, all.Height, all.Width, labels);
    }
}
