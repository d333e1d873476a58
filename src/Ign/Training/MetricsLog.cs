using Ign.IO;

namespace Ign.Training;

/// <summary>Appends one JSON line per step to metrics.jsonl; on resume, drops lines past the checkpoint.</summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter writer;
    public List<StepMetrics> Entries { get; }

    public MetricsLog(string path, long keepUpToStep)
    {
        Entries = File.Exists(path)
            ? File.ReadLines(path).Where(l => l.Length > 0).Select(l => Json.Deserialize<StepMetrics>(l)).Where(m => m.Step <= keepUpToStep).ToList()
            : [];
        if (File.Exists(path)) AtomicFile.WriteAllText(path, string.Concat(Entries.Select(e => Json.Serialize(e, indented: false) + "\n")));
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    public void Append(StepMetrics m)
    {
        Entries.Add(m);
        writer.WriteLine(Json.Serialize(m, indented: false));
    }

    public void Flush() => writer.Flush();

    public void Dispose() => writer.Dispose();
}
