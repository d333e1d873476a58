using System.Text.Json;
using Ign.IO;

namespace Ign.Numerics;

/// <summary>
/// The paths chosen for convolution shapes, kept on disk per machine fingerprint (<see
/// cref="CpuDescription.Fingerprint"/>)
/// so that each shape is checked once per machine, not once per process. One JSON file,
/// { fingerprint: { shape key: path } }, merged and replaced atomically; unreadable or unwritable means memory only.
/// Folder: IGN_CACHE_DIR, else $XDG_CACHE_HOME/ign, else ~/.cache/ign.
/// </summary>
public sealed class VerdictCache(string path)
{
    public string Path { get; } = path;

    public static VerdictCache Default()
    {
        string? folder = Environment.GetEnvironmentVariable("IGN_CACHE_DIR");
        if (string.IsNullOrEmpty(folder))
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            string root = !string.IsNullOrEmpty(xdg) ? xdg
                : !string.IsNullOrEmpty(home) ? System.IO.Path.Combine(home, ".cache")
                : System.IO.Path.GetTempPath(); // no home (a bare service account): never the working folder
            folder = System.IO.Path.Combine(root, "ign");
        }
        return new VerdictCache(System.IO.Path.Combine(folder, "conv-verdicts.json"));
    }

    public Dictionary<string, ConvPath> Load(string fingerprint) =>
        ReadAll().TryGetValue(fingerprint, out var paths) ? paths : [];

    public void Save(string fingerprint, string shapeKey, ConvPath path)
    {
        try
        {
            var all = ReadAll();
            if (!all.TryGetValue(fingerprint, out var paths)) all[fingerprint] = paths = [];
            paths[shapeKey] = path;
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(all, Options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private Dictionary<string, Dictionary<string, ConvPath>> ReadAll()
    {
        try
        {
            return File.Exists(Path)
                ? JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, ConvPath>>>(
                    File.ReadAllText(Path), Options) ?? []
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return []; }
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
