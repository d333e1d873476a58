namespace Ign.IO;

/// <summary>
/// Files that ship with the program (the build copies them next to it) or sit in the folder it runs from.
/// </summary>
public static class ProgramFiles
{
    /// <summary>
    /// The path of <paramref name="relativePath"/> next to the program, else under the current folder; null when
    /// neither has it.
    /// </summary>
    public static string? Find(string relativePath)
    {
        foreach (var root in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            string path = Path.Combine(root, relativePath);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
