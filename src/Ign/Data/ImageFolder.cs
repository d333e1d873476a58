using System.Security.Cryptography;
using System.Text;

namespace Ign.Data;

/// <summary>
/// What loading a picture folder gave: the images and the relative path each came from, how many pictures were
/// found, skipped as unreadable (with a few examples) or left out beyond the limit, and whether they came from the
/// cache.
/// </summary>
public sealed record ImageFolderResult(
    ImageDataset Images, IReadOnlyList<string> Files,
    int Found, int Skipped, IReadOnlyList<string> SkippedExamples, int LeftOut,
    bool FromCache, string? CachePath)
{
    /// <summary>
    /// One line for the user, e.g. "img_align_celeba: 202 599 images of 3×64×64 (from the cache ...)".
    /// </summary>
    public string Summary()
    {
        var parts = new List<string>
        {
            $"{Images.Name}: {Images.Count} images of " +
            $"{Images.Channels}×{Images.Height}×{Images.Width} from {Found} picture files"
        };
        if (Skipped > 0)
            parts.Add($"{Skipped} unreadable file(s) skipped (e.g. {string.Join("; ", SkippedExamples.Take(2))})");
        if (LeftOut > 0) parts.Add($"{LeftOut} left out beyond the limit");
        parts.Add(FromCache ? $"read from the cache {CachePath}"
            : CachePath is null ? "not cached"
            : $"decoded once and cached in {CachePath}");
        return string.Join("; ", parts);
    }
}

/// <summary>
/// Every PNG/JPEG/WebP/BMP picture under a folder (recursively, in ordinal path order) as an <see cref="ImageDataset"/>
/// of S×S images (<see cref="PictureToImage"/>). Unreadable and empty files are skipped and counted, never fatal.
/// The result is cached next to the folder (&lt;folder&gt;.ign-cache-&lt;options&gt;.gz) under a fingerprint of every
/// file's relative path, size and modification time plus the options, so later runs decode nothing and any
/// change to the folder rebuilds it. A folder beside which nothing can be written is cached under ~/.cache/ign.
/// </summary>
public static class ImageFolder
{
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp"];

    public static ImageFolderResult Load(string folder, int size, ImageFolderOptions? options = null,
        bool useCache = true, Action<string>? report = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate(size);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: image folder not found");
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string name = Path.GetFileName(root) is { Length: > 0 } n ? n : "images";
        var files = ListPictures(root);
        if (files.Count == 0)
            throw new InvalidDataException(
                $"{folder}: no pictures found ({string.Join(", ", Extensions)}, in it or its subfolders)");
        string fingerprint = Fingerprint(files, size, options);
        var cachePaths = useCache ? CachePaths(root, name, size, options) : [];

        foreach (string path in cachePaths)
            if (ImageFolderCache.TryRead(path, fingerprint, name) is { } cached)
                return new ImageFolderResult(cached.Images, cached.Header.Files, cached.Header.Found,
                    cached.Header.Skipped, cached.Header.SkippedExamples, cached.Header.LeftOut, true, path);

        report?.Invoke($"{name}: decoding {files.Count} pictures to {options.Channels}×{size}×{size} " +
            "(once: the result is cached)");
        var (images, kept, skipped, leftOut) = Decode(root, name, files, size, options);
        var header = new ImageFolderCacheHeader(fingerprint, files.Count, skipped.Count,
            skipped.Take(5).ToArray(), leftOut, kept);
        string? written = null;
        foreach (string path in cachePaths)
        {
            try { ImageFolderCache.Write(path, header, images); written = path; break; }
            // read-only place: try the next, or go without
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return new ImageFolderResult(images, kept, files.Count, skipped.Count, header.SkippedExamples, leftOut,
            false, written);
    }

    /// <summary>
    /// The picture files under the root as (relative path with '/', file info), in ordinal order of the path.
    /// </summary>
    public static List<(string Relative, FileInfo Info)> ListPictures(string root) =>
        new DirectoryInfo(root)
            .EnumerateFiles("*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.Hidden
            })
            .Where(f => Extensions.Contains(f.Extension.ToLowerInvariant()))
            .Select(f => (Relative: Path.GetRelativePath(root, f.FullName).Replace('\\', '/'), Info: f))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();

    private static string Fingerprint(List<(string Relative, FileInfo Info)> files, int size,
        ImageFolderOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(
            $"conversion {PictureToImage.Version}\n{options.Key(size)}\nlimit {options.MaxImages}\n"));
        foreach (var (relative, info) in files)
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string[] CachePaths(string root, string name, int size, ImageFolderOptions options)
    {
        string file = $"{name}.ign-cache-{options.Key(size)}.gz";
        string home = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string rootHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12];
        string fallback = Path.Combine(home, "ign", $"{rootHash}-{file}");
        return Path.GetDirectoryName(root) is { } parent ? [Path.Combine(parent, file), fallback] : [fallback];
    }

    private static (ImageDataset Images, string[] Kept, List<string> Skipped, int LeftOut) Decode(
        string root, string name, List<(string Relative, FileInfo Info)> files, int size, ImageFolderOptions options)
    {
        var decoded = new byte[files.Count][];
        var errors = new string?[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                decoded[i] = PictureToImage.Convert(File.ReadAllBytes(files[i].Info.FullName), files[i].Relative,
                    size, options);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                errors[i] = e.Message;
            }
        });
        var skipped = errors.Where(e => e is not null).Select(e => e!).ToList();
        var readable = Enumerable.Range(0, files.Count).Where(i => decoded[i] is not null).ToList();
        if (readable.Count == 0)
            throw new InvalidDataException(
                $"{root}: none of the {files.Count} pictures could be read (e.g. {skipped[0]})");
        int perImage = options.Channels * size * size;
        int limit = Math.Min(options.MaxImages ?? int.MaxValue, Array.MaxLength / perImage);
        int count = Math.Min(readable.Count, limit);
        var pixels = new byte[(long)count * perImage];                       // (N, C, S, S)
        for (int k = 0; k < count; k++) decoded[readable[k]].CopyTo(pixels, (long)k * perImage);
        var kept = readable.Take(count).Select(i => files[i].Relative).ToArray();
        return (new ImageDataset(name, pixels, count, options.Channels, size, size), kept, skipped,
            readable.Count - count);
    }
}
