using Ign.IO;
using Ign.Objective;

namespace Ign.Training;

/// <summary>The loss curves of a run (each term, smoothed over a window) as a PNG.</summary>
public static class LossPlot
{
    public static void Save(string path, IReadOnlyList<StepMetrics> entries, int window = 25)
    {
        if (entries.Count == 0) return;
        var plot = new ScottPlot.Plot();
        double[] steps = entries.Select(e => (double)e.Step).ToArray();
        foreach (var term in LossTerms.All.Where(t => !t.Optional || entries.Any(e => e.Losses[t] != 0)))
        {
            var values = entries.Select(e => (double)e.Losses[term]).ToArray();
            plot.Add.ScatterLine(steps, Smooth(values, window)).LegendText = term.Legend;
        }
        plot.Title("IGN losses (unweighted, moving average)");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        byte[] png = plot.GetImageBytes(900, 500, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }

    /// <summary>The moving average over the last <paramref name="window"/> values (fewer at the start).</summary>
    public static double[] Smooth(double[] values, int window)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}
