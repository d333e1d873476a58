namespace Ign.Data;

/// <summary>
/// Image sets as unsigned-byte IDX streams: (N, H, W) for grey images (MNIST's layout) and (N, H, W, C) for
/// colour (the emoji file, image caches). Read and written one image at a time, so sets of gigabytes need no
/// second copy; the bytes in memory stay (N, C, H, W) as <see cref="ImageDataset"/> holds them.
/// </summary>
public static class IdxImages
{
    public static void Write(Stream stream, ImageDataset images)
    {
        int[] shape = images.Channels == 1
            ? [images.Count, images.Height, images.Width]
            : [images.Count, images.Height, images.Width, images.Channels];
        stream.Write([0, 0, 0x08, (byte)shape.Length]);
        foreach (int d in shape) stream.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        int plane = images.Height * images.Width, channels = images.Channels;
        var interleaved = new byte[images.PixelsPerImage];                          // (H, W, C)
        for (long n = 0; n < images.Count; n++)
        {
            var image = images.Pixels.AsSpan((int)(n * images.PixelsPerImage), images.PixelsPerImage); // (C, H, W)
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < plane; i++) interleaved[i * channels + c] = image[c * plane + i];
            stream.Write(interleaved);
        }
    }

    /// <summary>
    /// Writes an IDX file, gzip-compressed (smallest) when the name ends in .gz; returns the SHA-256 of the
    /// uncompressed IDX bytes.
    /// </summary>
    public static string WriteFile(string path, ImageDataset images)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        using (var hashing = new System.Security.Cryptography.CryptoStream(
            Stream.Null, sha, System.Security.Cryptography.CryptoStreamMode.Write))
        {
            using var buffered = new BufferedStream(hashing, 1 << 20);
            Write(buffered, images);
        }
        IO.AtomicFile.Write(path, file =>
        {
            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) { Write(file, images); return; }
            using var gzip = new System.IO.Compression.GZipStream(
                file, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true);
            Write(gzip, images);
        });
        return Convert.ToHexStringLower(sha.Hash!);
    }

    /// <summary>
    /// Reads an image IDX stream to its end; a bad header, a short stream or bytes past the end are
    /// InvalidDataExceptions naming it.
    /// </summary>
    public static ImageDataset Read(Stream stream, string name, string datasetName)
    {
        try
        {
            var magic = new byte[4];
            stream.ReadExactly(magic);
            if (magic[0] != 0 || magic[1] != 0)
                throw new InvalidDataException($"{name}: not an IDX file (bad magic number)");
            if (magic[2] != 0x08)
                throw new InvalidDataException(
                    $"{name}: IDX element type 0x{magic[2]:x2} is not supported (only unsigned bytes, 0x08)");
            if (magic[3] is not (3 or 4))
                throw new InvalidDataException(
                    $"{name}: images need 3 (N, H, W) or 4 (N, H, W, C) dimensions, found {magic[3]}");
            var dims = new int[magic[3]];
            var word = new byte[4];
            for (int d = 0; d < dims.Length; d++)
            {
                stream.ReadExactly(word);
                dims[d] = (word[0] << 24) | (word[1] << 16) | (word[2] << 8) | word[3];
                if (dims[d] <= 0) throw new InvalidDataException($"{name}: dimension {d} has size {dims[d]}");
            }
            int count = dims[0], height = dims[1], width = dims[2], channels = dims.Length == 4 ? dims[3] : 1;
            if (channels is not (1 or 3))
                throw new InvalidDataException($"{name}: images with {channels} channels are not supported (1 or 3)");
            long total = (long)count * channels * height * width;
            if (total > Array.MaxLength)
                throw new InvalidDataException(
                    $"{name}: {count} images of {channels}×{height}×{width} are more than one array holds");
            var pixels = new byte[total];                                            // (N, C, H, W)
            int plane = height * width, perImage = channels * plane;
            var interleaved = new byte[perImage];                                    // (H, W, C)
            for (long n = 0; n < count; n++)
            {
                stream.ReadExactly(interleaved);
                var image = pixels.AsSpan((int)(n * perImage), perImage);
                for (int c = 0; c < channels; c++)
                    for (int i = 0; i < plane; i++) image[c * plane + i] = interleaved[i * channels + c];
            }
            if (stream.ReadByte() >= 0)
                throw new InvalidDataException($"{name}: bytes beyond the {count} images the header describes");
            return new ImageDataset(datasetName, pixels, count, channels, height, width);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name}: truncated: fewer bytes than the IDX header promises");
        }
    }
}
