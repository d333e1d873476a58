using Ign.Imaging;
using Ign.IO;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// The report's pictures: metrics against k, sample grids per BatchNorm mode, and projection examples.
/// </summary>
public static class EvaluationPlots
{
    /// <summary>Writes the PNGs into the folder and returns their file names, in reading order.</summary>
    public static List<string> Write(string folder, EvaluationReport report, EvaluationPictures pictures)
    {
        var written = new List<string>();
        void Save(string name, ScottPlot.Plot plot)
        {
            byte[] png = plot.GetImageBytes(700, 420, ScottPlot.ImageFormat.Png);
            AtomicFile.Write(Path.Combine(folder, name), s => s.Write(png));
            written.Add(name);
        }

        var frechet = new ScottPlot.Plot();
        foreach (var mode in report.Modes)
            frechet.Add.Scatter(mode.Samples.Select(s => (double)s.K).ToArray(),
                mode.Samples.Select(s => s.Frechet).ToArray()).LegendText = $"f^k(z), {mode.Norm} statistics";
        frechet.Add.HorizontalLine(report.Floor.Frechet, pattern: ScottPlot.LinePattern.Dashed).LegendText =
            $"floor: {report.Floor.Name}";
        frechet.Title($"Fréchet distance to the test set (ceiling, prior noise: {report.Ceiling.Frechet:F0})");
        frechet.XLabel("k (applications of f)");
        frechet.YLabel("Fréchet distance");
        frechet.ShowLegend();
        Save("frechet.png", frechet);

        var coverage = new ScottPlot.Plot();
        foreach (var mode in report.Modes)
        {
            double[] ks = mode.Samples.Select(s => (double)s.K).ToArray();
            coverage.Add.Scatter(ks, mode.Samples.Select(s => s.Precision).ToArray()).LegendText =
                $"precision, {mode.Norm}";
            coverage.Add.Scatter(ks, mode.Samples.Select(s => s.Recall).ToArray()).LegendText = $"recall, {mode.Norm}";
        }
        coverage.Add.HorizontalLine(report.Floor.Precision, pattern: ScottPlot.LinePattern.Dotted).LegendText =
            "train vs test precision";
        coverage.Add.HorizontalLine(report.Floor.Recall, pattern: ScottPlot.LinePattern.Dashed).LegendText =
            "train vs test recall";
        coverage.Title(report.Classifier is null
            ? "Precision and recall in encoder feature space"
            : "Precision and recall in classifier feature space");
        coverage.XLabel("k (applications of f)");
        coverage.Axes.SetLimitsY(0, 1.05);
        coverage.ShowLegend();
        Save("precision-recall.png", coverage);

        var idempotence = new ScottPlot.Plot();
        foreach (var mode in report.Modes)
            idempotence.Add.Scatter(mode.Samples.Select(s => (double)s.K).ToArray(),
                mode.Samples.Select(s => s.IdempotenceError).ToArray()).LegendText = mode.Norm;
        idempotence.Title("Idempotence error mean |f^(k+1)(z) − f^k(z)|");
        idempotence.XLabel("k (applications of f)");
        idempotence.ShowLegend();
        Save("idempotence.png", idempotence);

        foreach (var mode in report.Modes)
        {
            var panels = mode.Samples.Select(s => pictures.SamplesByMode[$"{mode.Norm} k={s.K}"][0]).ToList();
            string name = $"samples-{mode.Norm}.png";
            ImageGrid.SavePng(Path.Combine(folder, name), panels, columns: 8, scale: 2);
            written.Add(name);
        }

        foreach (var (norm, grid) in pictures.ClassGrids)
        {
            string name = $"classes-{norm}.png";
            ImageGrid.SavePng(Path.Combine(folder, name), [grid], columns: (int)grid.shape[0]
                / report.Modes.First(m => m.Norm == norm).Conditional!.Classes.Count,
                scale: 2);
            written.Add(name);
        }

        if (pictures.Projections.Count > 0) written.Add(SaveRows(folder, "projections.png", pictures.Projections));
        if (pictures.Lost.Count > 0) written.Add(SaveRows(folder, "lost.png", pictures.Lost));
        return written;
    }

    /// <summary>One panel per column of the paper's figure (x, c(x), f(c(x)), f(f(c(x))), ...): a row per corruption,
    /// its examples side by side; a row with fewer examples than the widest is filled with blank images.</summary>
    private static string SaveRows(string folder, string name, List<(string Corruption, List<Tensor> Columns)> rows)
    {
        using var scope = NewDisposeScope();
        using var scalars = new Runtime.HeldScalars();
        long width = rows.Max(r => r.Columns[0].shape[0]);
        Tensor Filled(Tensor examples) => examples.shape[0] == width
            ? examples
            : cat([examples, full([width - examples.shape[0], .. examples.shape[1..]], scalars.Of(-1), examples.dtype,
                                  examples.device)], 0);                                   // (width, C, H, W)
        var panels = Enumerable.Range(0, rows[0].Columns.Count)
            .Select(c => cat(rows.Select(r => Filled(r.Columns[c])).ToList(), 0))
            .ToList();
        ImageGrid.SavePng(Path.Combine(folder, name), panels, columns: (int)width, scale: 2);
        return name;
    }
}
