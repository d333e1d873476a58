namespace Ign.Runtime;

/// <summary>Resident memory of this process from /proc (Linux); falls back to the GC's view elsewhere.</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set size in MiB.</summary>
    public static double ResidentMiB() =>
        ReadStatusKiB("VmRSS:") is { } kib ? kib / 1024.0 : Environment.WorkingSet / 1048576.0;

    /// <summary>Peak resident set size in MiB.</summary>
    public static double PeakResidentMiB() =>
        ReadStatusKiB("VmHWM:") is { } kib ? kib / 1024.0 : Environment.WorkingSet / 1048576.0;

    private static long? ReadStatusKiB(string key)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0]);
        }
        catch (IOException) { }
        return null;
    }
}
