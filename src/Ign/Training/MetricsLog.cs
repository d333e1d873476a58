using Ign.IO;

namespace Ign.Training;

/// <summary>
/// Appends one JSON line per step to metrics.jsonl; on resume, keeps the lines up to the checkpoint's step and drops
/// the rest.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter writer;
    public List<StepMetrics> Entries { get; }

    public MetricsLog(string path, long keepUpToStep)
    {
        Entries = Read(path).Where(m => m.Step <= keepUpToStep).ToList();
        if (File.Exists(path))
            AtomicFile.WriteAllText(path,
                string.Concat(Entries.Select(e => Json.Serialize(e, indented: false) + "\n")));
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    /// <summary>The entries of a metrics.jsonl (none when it does not exist), without opening it for writing.</summary>
    public static List<StepMetrics> Read(string path) =>
        File.Exists(path) ? File.ReadLines(path).Select(TryParse).OfType<StepMetrics>().ToList() : [];

    /// <summary>A line cut short by a killed process (the last one) is dropped, not fatal.</summary>
    private static StepMetrics? TryParse(string line)
    {
        try { return line.Length > 0 ? Json.Deserialize<StepMetrics>(line) : null; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public void Append(StepMetrics m)
    {
        Entries.Add(m);
        writer.WriteLine(Json.Serialize(m, indented: false));
    }

    public void Flush() => writer.Flush();

    public void Dispose() => writer.Dispose();
}
