using Ign.Training;
using SkiaSharp;

namespace Ign.Tests.Training;

public class RunCurvesTests
{
    /// <summary>A run folder with <paramref name="steps"/> metrics lines and a grid every 5 steps.</summary>
    private static string FakeRun(string name, int steps, bool colour)
    {
        string dir = Path.Combine(TestData.TempDir(), name);
        Directory.CreateDirectory(dir);
        using (var metrics = new MetricsLog(Path.Combine(dir, "metrics.jsonl"), 0))
            for (int s = 1; s <= steps; s++) metrics.Append(new StepMetrics { Step = s, Total = 10f / s });
        using var samples = new SampleLog(Path.Combine(dir, "samples.jsonl"), 0);
        for (int s = 5; s <= steps; s += 5) samples.Append(new SampleCheck(s, 0.1 * s, colour ? 0.05 * s : null));
        return dir;
    }

    [Fact]
    public void Several_runs_go_on_one_picture_named_by_their_folders()
    {
        string grey = FakeRun("seed-0", 20, colour: false), coloured = FakeRun("seed-1", 30, colour: true);
        string png = Path.Combine(TestData.TempDir(), "curves.png");

        var runs = new[] { grey, coloured }.Select(RunCurves.Read).ToList();
        RunCurves.Save(png, runs);

        Assert.Equal(["seed-0", "seed-1"], runs.Select(r => r.Name));
        Assert.Equal([20, 30], runs.Select(r => r.Metrics.Count));
        Assert.Equal([4, 6], runs.Select(r => r.Samples.Count));
        Assert.Equal(0.5, runs[1].Samples[1].Colour!.Value, 12);   // step 10's
        using var picture = SKBitmap.Decode(png);
        Assert.Equal((1500, 900), (picture.Width, picture.Height));
    }

    [Fact]
    public void A_folder_that_is_not_a_run_is_refused_in_one_line()
    {
        string empty = TestData.TempDir();
        var error = Assert.Throws<ArgumentException>(() => RunCurves.Read(empty));
        Assert.Contains("no metrics.jsonl", error.Message);
    }
}
