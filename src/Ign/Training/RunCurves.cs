using Ign.IO;
using Ign.Objective;
using ScottPlot;

namespace Ign.Training;

/// <summary>
/// Several training runs' curves on one picture (<c>ign curves</c>), a colour per run: the core loss terms and the
/// total, smoothed, and the samples' spread and colour over the data's, where a collapse shows (samples.jsonl). For
/// seeds of one recipe, or variants.
/// </summary>
public static class RunCurves
{
    /// <summary>A run folder's curves: its metrics.jsonl and samples.jsonl (empty when it has none).</summary>
    public sealed record Run(string Name, IReadOnlyList<StepMetrics> Metrics, IReadOnlyList<SampleCheck> Samples);

    /// <summary>Reads a run folder; a one-line error when it holds no metrics.jsonl.</summary>
    public static Run Read(string folder)
    {
        string metrics = Path.Combine(folder, "metrics.jsonl");
        if (!File.Exists(metrics))
            throw new ArgumentException($"{folder}: no metrics.jsonl (not a training run's folder)");
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return new Run(name, MetricsLog.Read(metrics), SampleLog.Read(Path.Combine(folder, "samples.jsonl")));
    }

    /// <summary>Writes the panels (a 3 × 2 grid, 1 500 × 900 pixels) as a PNG, atomically.</summary>
    /// <param name="window">the moving average's width in logged steps (lines of metrics.jsonl)</param>
    public static void Save(string path, IReadOnlyList<Run> runs, int window = 25)
    {
        var multiplot = new ScottPlot.Multiplot();
        multiplot.AddPlots(6);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        LossTerm[] terms = [LossTerms.Reconstruction, LossTerms.Idempotence, LossTerms.Tightness];
        for (int i = 0; i < terms.Length; i++)
            Panel(multiplot.GetPlot(i), terms[i].Legend, runs,
                run => Smoothed(run, m => m.Losses[terms[i]], window));
        Panel(multiplot.GetPlot(3), "total (weighted)", runs, run => Smoothed(run, m => m.Total, window));
        Panel(multiplot.GetPlot(4), "samples' spread / data's", runs,
            run => (run.Samples.Select(s => (double)s.Step).ToArray(), run.Samples.Select(s => s.Spread).ToArray()));
        Panel(multiplot.GetPlot(5), "samples' colour / data's", runs,
            run => (run.Samples.Where(s => s.Colour is not null).Select(s => (double)s.Step).ToArray(),
                run.Samples.Where(s => s.Colour is not null).Select(s => s.Colour!.Value).ToArray()));
        using var image = multiplot.Render(1500, 900);
        byte[] png = image.GetImageBytes(ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }

    private static (double[] Steps, double[] Values) Smoothed(Run run, Func<StepMetrics, float> value, int window) =>
        (run.Metrics.Select(m => (double)m.Step).ToArray(),
            LossPlot.Smooth(run.Metrics.Select(m => (double)value(m)).ToArray(), window));

    private static void Panel(ScottPlot.Plot plot, string title, IReadOnlyList<Run> runs,
        Func<Run, (double[] Steps, double[] Values)> curve)
    {
        var palette = new ScottPlot.Palettes.Category10();
        bool any = false;
        for (int r = 0; r < runs.Count; r++)
        {
            var (steps, values) = curve(runs[r]);
            if (steps.Length == 0) continue;
            plot.Add.ScatterLine(steps, values, palette.GetColor(r)).LegendText = runs[r].Name;
            any = true;
        }
        plot.Title(any ? title : $"{title}: none logged");
        plot.XLabel("step");
        if (any) plot.ShowLegend(Alignment.UpperRight);
    }
}
