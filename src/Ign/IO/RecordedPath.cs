namespace Ign.IO;

/// <summary>
/// A path as reports and settings JSON record it: relative to the repository when the file is inside one (the folder
/// holding Ign.slnx), else just its name, so that a committed report does not carry the folders of the machine it was
/// made on.
/// </summary>
public static class RecordedPath
{
    public static string Of(string path)
    {
        string full = Path.GetFullPath(path);
        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Ign.slnx")))
                return Path.GetRelativePath(dir, full).Replace('\\', '/');
        return Path.GetFileName(full);
    }
}
