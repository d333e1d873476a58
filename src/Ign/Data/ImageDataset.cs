using static TorchSharp.torch;

namespace Ign.Data;

/// <summary>
/// Images held as bytes in (N, C, H, W) order with optional labels; converted to [-1, 1] floats on demand.
/// </summary>
public sealed class ImageDataset
{
    public byte[] Pixels { get; }
    public byte[]? Labels { get; }
    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public string Name { get; }
    public int PixelsPerImage => Channels * Height * Width;

    public ImageDataset(string name, byte[] pixels, int count, int channels, int height, int width,
        byte[]? labels = null)
    {
        if ((long)count * channels * height * width != pixels.LongLength)
            throw new ArgumentException(
                $"{name}: {pixels.LongLength} pixel bytes do not make {count} images of {channels}×{height}×{width}");
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"{name}: {labels.Length} labels for {count} images");
        (Name, Pixels, Labels, Count, Channels, Height, Width) = (name, pixels, labels, count, channels, height, width);
    }

    /// <summary>
    /// Write image <paramref name="index"/> as floats in [-1, 1] into <paramref name="destination"/>.
    /// </summary>
    public void CopyScaled(int index, Span<float> destination)
    {
        var source = Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] / 127.5f - 1f;
    }

    /// <summary>The images at the given indices as a (n, C, H, W) tensor in [-1, 1].</summary>
    public Tensor Batch(IReadOnlyList<int> indices, Device? device = null)
    {
        var buffer = new float[indices.Count * PixelsPerImage];
        for (int i = 0; i < indices.Count; i++)
            CopyScaled(indices[i], buffer.AsSpan(i * PixelsPerImage, PixelsPerImage));
        return tensor(buffer, [indices.Count, Channels, Height, Width], device: device); // (n, C, H, W)
    }

    /// <summary>The first n images (all when n is null) as a (n, C, H, W) tensor in [-1, 1].</summary>
    public Tensor First(int? n = null, Device? device = null) =>
        Batch(Enumerable.Range(0, Math.Min(n ?? Count, Count)).ToArray(), device);

    public ImageDataset Take(int n) => n >= Count
        ? this
        : new ImageDataset(Name, Pixels[..(n * PixelsPerImage)], n, Channels, Height, Width, Labels?[..n]);
}
