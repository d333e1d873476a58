using System.Globalization;
using System.Text;
using Ign.IO;

namespace Ign.Evaluation;

/// <summary>
/// One Markdown table over many evaluation reports: rows are variants (reports whose names differ only in a
/// "-s&lt;seed&gt;" suffix are one variant, shown as mean ± half-range over seeds), columns are the metrics at each k.
/// A run folder's model.ckpt, checkpoint.ckpt or live.ckpt is the variant itself; any other checkpoint in it, such as
/// ema.ckpt, is a row of its own ("seed002 + ema").
/// </summary>
public static class ReportComparison
{
    public sealed record Entry(string Variant, string Name, EvaluationReport Report, double? TrainSeconds,
        string? SamplesPng);

    public static Entry Read(string reportPath, string? name = null)
    {
        var report = Json.Deserialize<EvaluationReport>(File.ReadAllText(reportPath));
        string folder = Path.GetDirectoryName(Path.GetFullPath(reportPath))!;
        // <variant>-s<seed>/model.ckpt is the variant; <variant>-s<seed>/ema.ckpt (any other file name) is "<variant> +
        // ema"
        string folderName = Path.GetFileName(Path.GetDirectoryName(report.Checkpoint)) ?? "run";
        string stem = Path.GetFileNameWithoutExtension(report.Checkpoint);
        bool plain = stem is "model" or "checkpoint" or "live";
        string runName = name ?? (plain ? folderName : $"{folderName} + {stem}");
        string variant = name
            ?? System.Text.RegularExpressions.Regex.Replace(folderName, "-s[0-9]+$", "") + (plain ? "" : $" + {stem}");
        var metrics = Ign.Training.MetricsLog.Read(
            Path.Combine(Path.GetDirectoryName(report.Checkpoint)!, "metrics.jsonl"));
        string samples = Path.Combine(folder, "samples-batch.png");
        return new Entry(variant, runName, report, metrics.Count > 0 ? metrics[^1].ElapsedSeconds : null,
            File.Exists(samples) ? samples : null);
    }

    public static string Markdown(IReadOnlyList<Entry> entries, string relativeTo)
    {
        var md = new StringBuilder();
        void Line(string s = "") => md.Append(s).Append('\n');
        string Stat(IEnumerable<double> values, string format)
        {
            var v = values.ToList();
            if (v.Count == 0) return "–";
            double mean = v.Average(), half = (v.Max() - v.Min()) / 2;
            return v.Count == 1 ? mean.ToString(format, CultureInfo.InvariantCulture)
                                : $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± " +
                                  $"{half.ToString(format, CultureInfo.InvariantCulture)}";
        }
        // "–" for reports without a classifier
        string Percent(IEnumerable<double> values) => values.Any() ? Stat(values, "F0") + " %" : "–";
        var ks = entries.SelectMany(e => e.Report.Modes.SelectMany(m => m.Samples.Select(s => s.K)))
            .Distinct().Order().ToList();
        var modes = entries.SelectMany(e => e.Report.Modes.Select(m => m.Norm)).Distinct().ToList();
        var groups = entries.GroupBy(e => e.Variant).ToList();

        foreach (var mode in modes)
        {
            Line($"### BatchNorm {mode} statistics");
            Line();
            Line("| variant | seeds | steps | train time | " + string.Join(" | ", ks.Select(k => $"FD k={k}")) +
                 " | precision k=1 | recall k=1 | largest class deviation k=1 | idempotence error k=1 |");
            Line("|---|---|---|---|" + string.Concat(ks.Select(_ => "---|")) + "---|---|---|---|");
            foreach (var g in groups)
            {
                var runs = g.Select(e => (e, m: e.Report.Modes.FirstOrDefault(m => m.Norm == mode)))
                    .Where(p => p.m is not null)
                    .ToList();
                if (runs.Count == 0) continue;
                SampleMetrics? At(ModeReport m, int k) => m.Samples.FirstOrDefault(s => s.K == k);
                var cells = ks.Select(k =>
                    Stat(runs.Select(r => At(r.m!, k)).OfType<SampleMetrics>().Select(s => s.Frechet), "F1"));
                var first = runs.Select(r => At(r.m!, ks[0])).OfType<SampleMetrics>().ToList();
                var seconds = runs.Select(r => r.e.TrainSeconds).OfType<double>().ToList();
                Line($"| {g.Key} | {runs.Count} | " +
                     $"{string.Join("/", runs.Select(r => r.e.Report.ModelStep).Distinct())} | " +
                     $"{(seconds.Count > 0 ? Stat(seconds.Select(s => s / 60), "F0") + " min" : "–")} | " +
                     string.Join(" | ", cells) + $" | {Stat(first.Select(s => s.Precision), "F3")} | " +
                     $"{Stat(first.Select(s => s.Recall), "F3")} | " +
                     $"{Percent(first.Select(s => s.MaxClassDeviation).OfType<double>().Select(d => 100 * d))} | " +
                     $"{Stat(first.Select(s => s.IdempotenceError), "F4")} |");
            }
            Line();
        }
        Line("### Samples (first seed, batch statistics, k = 1, 2, 3)");
        Line();
        Line("| variant | samples |");
        Line("|---|---|");
        foreach (var g in groups)
            if (g.First().SamplesPng is { } png)
                Line($"| {g.Key} | ![{g.Key}]({Path.GetRelativePath(relativeTo, png).Replace('\\', '/')}) |");
        return md.ToString();
    }
}
