using Ign.IO;

namespace Ign.Training;

/// <summary>
/// Appends one JSON line per entry to a run's log; on resume, keeps the lines up to the checkpoint's step and drops
/// the rest.
/// </summary>
public class StepLog<T> : IDisposable where T : class
{
    private readonly StreamWriter writer;
    public List<T> Entries { get; }

    /// <param name="stepOf">the step an entry belongs to</param>
    public StepLog(string path, long keepUpToStep, Func<T, long> stepOf)
    {
        Entries = Read(path).Where(m => stepOf(m) <= keepUpToStep).ToList();
        if (File.Exists(path))
            AtomicFile.WriteAllText(path,
                string.Concat(Entries.Select(e => Json.Serialize(e, indented: false) + "\n")));
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    /// <summary>The entries of a log (none when it does not exist), without opening it for writing.</summary>
    public static List<T> Read(string path) =>
        File.Exists(path) ? File.ReadLines(path).Select(TryParse).OfType<T>().ToList() : [];

    /// <summary>A line cut short by a killed process (the last one) is dropped, not fatal.</summary>
    private static T? TryParse(string line)
    {
        try { return line.Length > 0 ? Json.Deserialize<T>(line) : null; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public void Append(T entry)
    {
        Entries.Add(entry);
        writer.WriteLine(Json.Serialize(entry, indented: false));
    }

    public void Flush() => writer.Flush();

    public void Dispose()
    {
        writer.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>metrics.jsonl: one <see cref="StepMetrics"/> line per step.</summary>
public sealed class MetricsLog(string path, long keepUpToStep)
    : StepLog<StepMetrics>(path, keepUpToStep, m => m.Step);

/// <summary>samples.jsonl: one <see cref="SampleCheck"/> line per sample grid.</summary>
public sealed class SampleLog(string path, long keepUpToStep)
    : StepLog<SampleCheck>(path, keepUpToStep, s => s.Step);
