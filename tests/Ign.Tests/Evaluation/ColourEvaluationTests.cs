using Ign.Evaluation;
using Ign.Objective;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Tests.Evaluation;

/// <summary>The evaluator on colour data: a tiny dcgan64 measured in a tiny encoder's feature space, without a classifier.</summary>
public class ColourEvaluationTests
{
    [Fact]
    public void A_colour_model_gets_distances_errors_and_restoration_but_no_class_fields()
    {
        var train = AutoencoderTests.Squares(24, 64, seed: 2);
        var test = AutoencoderTests.Squares(16, 64, seed: 3);
        string dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("seed002") with
        {
            Preset = "test", Model = "dcgan64", BaseWidth = 4, BatchSize = 4, MaxSteps = 2, SampleCount = 4, SampleEvery = 1000, CheckpointEvery = 1000,
            RecalibrateBatchNorm = 2, Seed = 1, Objective = ObjectiveConfig.Paper,
        };
        using (var trainer = new Trainer(config, train, dir)) trainer.Run();
        using var model = TrainedModel.Load(Path.Combine(dir, "model.ckpt"), CPU);
        var (autoencoder, header) = AutoencoderTests.Tiny(train, 2);
        using var _ = autoencoder;
        var features = new EncoderFeatures(autoencoder.Encoder, header, "squares-ae.ign");
        var options = new EvaluationOptions
        {
            Samples = 12, Steps = [1, 2], BatchSize = 8, ProjectionCount = 8, Modes = [NormMode.Batch], Corruptions = EvaluationOptions.ColourCorruptions(64),
        };

        // two made-up categories, a third of the training squares in the second
        var categories = new Ign.Data.EmojiCategories(["a", "b"],
            Enumerable.Range(0, 24).Select(i => i % 3 == 0 ? 1 : 0).ToArray(), Enumerable.Range(0, 16).Select(i => i % 2).ToArray());

        var (report, pictures) = new Evaluator(model, features, test, train, options) { Categories = categories }
            .Run(Path.Combine(dir, "model.ckpt"));

        Assert.Null(report.Classifier);
        Assert.Null(report.ClassifierTestAccuracy);
        Assert.Equal(features.Description, report.FeatureSpace);
        Assert.Contains("autoencoder", report.FeatureSpace);
        Assert.Equal((16, 12), (report.TestCount, report.FloorCount));
        Assert.True(double.IsFinite(report.Floor.Frechet) && double.IsFinite(report.Ceiling.Frechet));
        var mode = Assert.Single(report.Modes);
        Assert.Equal([1, 2], mode.Samples.Select(s => s.K));
        foreach (var s in mode.Samples)
        {
            Assert.True(double.IsFinite(s.Frechet) && s.Frechet >= 0);
            Assert.InRange(s.Precision, 0, 1);
            Assert.InRange(s.Recall, 0, 1);
            Assert.True(s.IdempotenceError > 0);
            Assert.True(s.Sharpness > 0);                          // high-frequency share relative to the test set's
            Assert.Equal(["a", "b"], s.Coverage!.Shares.Select(c => c.Category));
            Assert.Equal([2 / 3.0, 1 / 3.0], s.Coverage.Shares.Select(c => c.DataShare));
            Assert.Equal(1.0, s.Coverage.Shares.Sum(c => c.SampleShare), 12);
            Assert.Equal(1.0, s.Coverage.Shares.Sum(c => c.HeldOutShare), 12);   // every test image gets a category
            Assert.Equal(1.0, s.Coverage.Shares.Sum(c => c.LeaveOneOutShare), 12);
            Assert.All(s.Coverage.Shares, c => Assert.Equal(12, c.SampleCount));
            Assert.Null(s.ClassCounts);
            Assert.Null(s.EntropyBits);
            Assert.Null(s.MaxClassDeviation);
        }
        Assert.True(mode.ReconstructionError > 0);
        Assert.Equal(["grayscale", "noise", "occlude", "inpaint occlude", "jitter"],
                     mode.Projections.Select(p => p.Corruption.Split(':')[0]));
        Assert.StartsWith("occlude:size=22,", mode.Projections[2].Corruption);
        // inpainting keeps every known pixel, so its error can only come from the 22×22 hole
        Assert.All(mode.Projections[3].ErrorProjected!, e => Assert.InRange(e, 1e-9, 2.0 * 22 * 22 / (64 * 64)));
        Assert.True(mode.Projections[0].ChromaErrorCorrupted > 0);  // a grayscale input lost all of x's colour
        foreach (var p in mode.Projections)
        {
            Assert.Null(p.AccuracyCorrupted);
            Assert.Null(p.AccuracyProjected);
            Assert.True(p.ErrorCorrupted > 0);
            Assert.Equal(3, p.ErrorProjected!.Length); // f, f², f³
            Assert.All(p.ErrorProjected, e => Assert.True(e > 0 && e <= 2));
            Assert.Equal(3, p.ChromaErrorProjected!.Length);
            Assert.All(p.ChromaErrorProjected, e => Assert.InRange(e, 1e-9, 1));
        }
        Assert.Equal(5, pictures.Projections.Count);

        string md = ReportWriter.Markdown(report, []);
        Assert.Contains(report.FeatureSpace, md);
        Assert.Contains("Inpainted rows keep the known pixels and fit the hole", md);
        Assert.Contains("| 1 | ", md);
        Assert.Contains("| – | – |", md);
        Assert.Contains("restoration error", md);
        Assert.Contains("chroma error", md);
        Assert.Contains("Sharpness:", md);
        Assert.Contains("Mode coverage at k = 1", md);
        Assert.Contains("floor: training images, leave one out", md);
        Assert.Contains("samples against the floor", md);
        Assert.Contains("from 12 samples", md);
        Assert.DoesNotContain("Class histogram", md);
        Assert.DoesNotContain("classifier accuracy", md);
        foreach (var t in pictures.SamplesByMode.Values.SelectMany(v => v).Concat(pictures.Projections.SelectMany(p => p.Columns))) t.Dispose();
    }

    [Fact]
    public void Comparison_of_reports_without_classes_shows_a_dash()
    {
        var report = new EvaluationReport
        {
            Checkpoint = "/runs/emoji-s0/model.ckpt", ModelStep = 100, Preset = "emoji64", SampleCount = 10, ProjectionCount = 10, Seed = 0,
            NearestNeighbours = 3, Seconds = 1, FeatureSpace = "an encoder",
            Floor = new ReferenceMetrics("train vs test", 2, 0.9, 0.9), Ceiling = new ReferenceMetrics("noise vs test", 1000, 0, 0),
            Modes = [new ModeReport("batch", [new SampleMetrics(1, 30, 0.8, 0.5, null, null, null, 0.01)], 0.1, [])],
        };
        string md = ReportComparison.Markdown([new ReportComparison.Entry("emoji", "emoji-s0", report, 600, null)], "/");
        Assert.Contains("| emoji | 1 | 100 | 10 min | 30.0 | 0.800 | 0.500 | – | 0.0100 |", md);
    }
}
