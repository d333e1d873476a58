using System.Security.Cryptography;

namespace Ign.Data;

/// <summary>
/// The embedded colour data set: the 3 786 Noto emoji of the npm package emoji-datasource-google@16.0.0
/// (img/google/64), composited on white, as one gzip-compressed IDX file of (N, 64, 64, 3) bytes in the
/// package's file-name order (data/README.md; rebuilt by tools/fetch-emoji.sh). Every tenth image is held
/// out as the test split (<see cref="HoldOut"/>): 3 408 for training, 378 for testing.
/// </summary>
public static class EmojiSet
{
    public const string Folder = "emoji", FileName = "emoji-google-64.idx.gz";
    public const int Count = 3786, Size = 64;
    /// <summary>SHA-256 of the decompressed IDX file.</summary>
    public const string Sha256 = "6c4415636a0acaae5a01ec89986fb72572c8264e2fde61da2738a37d5001b821";

    public static string EmbeddedPath() => EmbeddedData.Find(Folder, FileName)
        ?? throw new FileNotFoundException(
            $"the embedded emoji data (data/{Folder}/{FileName}) is missing from this installation; " +
            "rebuild it with tools/fetch-emoji.sh");

    /// <summary>The embedded emoji split, checked against the canonical SHA-256.</summary>
    public static ImageDataset LoadEmbeddedEmoji(Split split) =>
        HoldOut.Select(Load(EmbeddedPath(), verify: true), split);

    /// <summary>All images of an emoji-style IDX file (N, H, W, C).</summary>
    public static ImageDataset Load(string path, bool verify = false)
    {
        byte[] bytes = IdxFile.ReadDecompressed(path);
        if (verify)
        {
            string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (actual != Sha256)
                throw new InvalidDataException($"{path}: SHA-256 {actual} is not the canonical emoji file's {Sha256}");
        }
        using var stream = new MemoryStream(bytes, writable: false);
        return IdxImages.Read(stream, path, "emoji");
    }
}
