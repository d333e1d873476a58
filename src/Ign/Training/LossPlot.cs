using Ign.IO;

namespace Ign.Training;

/// <summary>The loss curves of a run (each term, smoothed over a window) as a PNG.</summary>
public static class LossPlot
{
    public static void Save(string path, IReadOnlyList<StepMetrics> entries, int window = 25)
    {
        if (entries.Count == 0) return;
        var plot = new ScottPlot.Plot();
        double[] steps = entries.Select(e => (double)e.Step).ToArray();
        void Add(string label, Func<StepMetrics, float> value)
        {
            var line = plot.Add.ScatterLine(steps, Smooth(entries.Select(e => (double)value(e)).ToArray(), window));
            line.LegendText = label;
        }
        Add("reconstruction", e => e.Reconstruction);
        Add("idempotence", e => e.Idempotence);
        Add("tightness", e => e.Tightness);
        if (entries.Any(e => e.MeanMatch != 0)) Add("mean matching", e => e.MeanMatch);
        if (entries.Any(e => e.Restoration != 0)) Add("restoration", e => e.Restoration);
        if (entries.Any(e => e.OffDataIdempotence != 0)) Add("idempotence off the data", e => e.OffDataIdempotence);
        if (entries.Any(e => e.RestorationTwice != 0)) Add("restoration by f∘f", e => e.RestorationTwice);
        if (entries.Any(e => e.ReconstructionTwice != 0)) Add("reconstruction by f∘f", e => e.ReconstructionTwice);
        if (entries.Any(e => e.WrongClass != 0)) Add("under another class (clamped)", e => e.WrongClass);
        plot.Title("IGN losses (unweighted, moving average)");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        byte[] png = plot.GetImageBytes(900, 500, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }

    private static double[] Smooth(double[] values, int window)
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
