using Ign.Evaluation;

namespace Ign.Tests.Evaluation;

public class ReportComparisonTests
{
    private static ReportComparison.Entry Entry(string name, double fd) => new(
        System.Text.RegularExpressions.Regex.Replace(name, "-s[0-9]+$", ""), name,
        new EvaluationReport
        {
            Checkpoint = $"/runs/{name}/model.ckpt", ModelStep = 100, Preset = "seed002", SampleCount = 10, ProjectionCount = 10, Seed = 0,
            NearestNeighbours = 3, Classifier = "c", ClassifierTestAccuracy = 0.99, Seconds = 1,
            Floor = new ReferenceMetrics("train vs test", 2, 0.9, 0.9), Ceiling = new ReferenceMetrics("noise vs test", 1000, 0, 0),
            Modes = [new ModeReport("batch", [new SampleMetrics(1, fd, 0.8, 0.5, 3.3, 0.2, new long[10], 0.01)], 0.1, [])],
        }, TrainSeconds: 600, SamplesPng: null);

    [Fact]
    public void Seeds_of_a_variant_are_one_row_with_their_spread()
    {
        string md = ReportComparison.Markdown([Entry("ema-s0", 10), Entry("ema-s1", 14), Entry("seed002-s0", 20)], "/");
        Assert.Contains("| ema | 2 | 100 | 10 ± 0 min | 12.0 ± 2.0 |", md);
        Assert.Contains("| seed002 | 1 | 100 | 10 min | 20.0 |", md);
    }

    [Theory]
    [InlineData("seed002-s1", "model.ckpt", "seed002", "seed002-s1")]
    [InlineData("seed002-s1", "live.ckpt", "seed002", "seed002-s1")]
    [InlineData("seed002-s1", "ema.ckpt", "seed002 + ema", "seed002-s1 + ema")]
    [InlineData("groupnorm-s0", "ema.ckpt", "groupnorm + ema", "groupnorm-s0 + ema")]
    public void Rows_are_named_after_the_run_folder_and_the_exported_weights(string folder, string file, string variant, string name)
    {
        string dir = Path.Combine(TestData.TempDir(), folder);
        Directory.CreateDirectory(dir);
        var report = Entry("x", 1).Report with { Checkpoint = Path.Combine(dir, file) };
        string path = Path.Combine(dir, "report.json");
        File.WriteAllText(path, Ign.IO.Json.Serialize(report));
        var entry = ReportComparison.Read(path);
        Assert.Equal((variant, name), (entry.Variant, entry.Name));
    }
}
