namespace Ign.Data;

/// <summary>
/// Finds data shipped with the program: data/&lt;name&gt; next to it, or in the repository above it (tests, dotnet
/// run).
/// </summary>
public static class EmbeddedData
{
    /// <summary>The path of data/&lt;folder&gt;/&lt;file&gt;, or null when this installation has none.</summary>
    public static string? Find(string folder, string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", folder, file);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
