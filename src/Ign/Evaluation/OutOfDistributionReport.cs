using System.Globalization;
using System.Text;
using Ign.IO;

namespace Ign.Evaluation;

/// <summary>`ign score --roc`'s folder: the ROC curves as a picture, the numbers as JSON and a Markdown table.
/// </summary>
public static class OutOfDistributionReport
{
    public static void Write(string folder, IReadOnlyList<OutOfDistributionRow> rows)
    {
        Directory.CreateDirectory(folder);
        var plot = new ScottPlot.Plot();
        foreach (var row in rows)
            plot.Add.ScatterLine(row.ByDistance.FalsePositiveRate, row.ByDistance.TruePositiveRate).LegendText =
                string.Create(CultureInfo.InvariantCulture, $"{row.Set} (AUC {row.ByDistance.Area:F3})");
        plot.Add.Line(0, 0, 1, 1).LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title("Out-of-distribution score |f(x) − x|: other images against test images");
        plot.XLabel("test images flagged (false positive rate)");
        plot.YLabel("other images flagged (true positive rate)");
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        byte[] png = plot.GetImageBytes(700, 520, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(Path.Combine(folder, "roc.png"), s => s.Write(png));

        AtomicFile.WriteAllText(Path.Combine(folder, "roc.json"), Json.Serialize(rows.Select(r => new
        {
            r.Set, r.Count, r.MeanDistance, AucByDistance = r.ByDistance.Area,
            AucByIdempotenceGap = r.ByIdempotenceGap.Area,
        }).ToArray()));

        var md = new StringBuilder()
            .AppendLine("| against test images | images | mean \\|f(x) − x\\| | ROC AUC by \\|f(x) − x\\| | " +
                        "ROC AUC by \\|f(f(x)) − f(x)\\| |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Set} | {r.Count} | {r.MeanDistance:F4} | {r.ByDistance.Area:F4} | " +
                $"{r.ByIdempotenceGap.Area:F4} |"));
        AtomicFile.WriteAllText(Path.Combine(folder, "roc.md"), md.ToString());
    }
}
