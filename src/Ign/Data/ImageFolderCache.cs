using System.IO.Compression;
using System.Text;
using Ign.IO;

namespace Ign.Data;

/// <summary>What a cache file records besides the images: which inputs made it and what was left out.</summary>
public sealed record ImageFolderCacheHeader(
    string Fingerprint, int Found, int Skipped, string[] SkippedExamples, int LeftOut, string[] Files);

/// <summary>
/// The decoded pictures of a folder as one gzip file: a line "ign-image-cache", a JSON line with the
/// <see cref="ImageFolderCacheHeader"/>, then the images as IDX (<see cref="IdxImages"/>). A cache that is
/// unreadable or was made from other inputs is simply not used.
/// </summary>
public static class ImageFolderCache
{
    private const string Magic = "ign-image-cache";

    public static void Write(string path, ImageFolderCacheHeader header, ImageDataset images) =>
        AtomicFile.Write(path, file =>
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
            using var buffered = new BufferedStream(gzip, 1 << 20);
            buffered.Write(Encoding.UTF8.GetBytes($"{Magic}\n{Json.Serialize(header, indented: false)}\n"));
            IdxImages.Write(buffered, images);
        });

    /// <summary>
    /// The cached images when the file exists, is intact and was made from inputs with this fingerprint; else null.
    /// </summary>
    public static (ImageFolderCacheHeader Header, ImageDataset Images)? TryRead(string path, string fingerprint,
        string datasetName)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var buffered = new BufferedStream(gzip, 1 << 20);
            if (ReadLine(buffered) != Magic) return null;
            var header = Json.Deserialize<ImageFolderCacheHeader>(ReadLine(buffered) ?? "");
            if (header.Fingerprint != fingerprint) return null;
            return (header, IdxImages.Read(buffered, path, datasetName));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException
            or UnauthorizedAccessException)
        {
            return null; // rebuilt by the caller
        }
    }

    private static string? ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        for (int b; (b = stream.ReadByte()) >= 0 && b != '\n';)
        {
            if (bytes.Count > 1 << 28) return null;
            bytes.Add((byte)b);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
