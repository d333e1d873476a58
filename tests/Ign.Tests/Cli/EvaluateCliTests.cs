using static Ign.Tests.Cli.CliRunner;
using System.Text.Json;
using Ign.Cli;
using Ign.Training;

namespace Ign.Tests.Cli;

[Collection("console")]
public class EvaluateCliTests
{

    private static string TinyModel(string dir)
    {
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "3", "--out", Path.Combine(dir, "run"));
        Assert.True(code == 0, error);
        return Path.Combine(dir, "run", "model.ckpt");
    }

    [Fact]
    public void A_fashion_mnist_model_is_not_scored_by_the_digit_classifier()
    {
        // a tiny model whose config says Fashion-MNIST (trained on random images: the data need not be installed)
        string dir = TestData.TempDir();
        var config = Ign.Training.TrainConfig.FromPreset("tiny") with { Dataset = "fashion-mnist", MaxSteps = 1 };
        using (var trainer = new Ign.Training.Trainer(config, TestData.RandomImages(), dir)) trainer.Run();

        var (code, error) = Run("evaluate", "--checkpoint", Path.Combine(dir, "model.ckpt"), "--classifier",
            Ign.Evaluation.ClassifierFile.DefaultPath("mnist"), "--out", Path.Combine(dir, "eval"));

        Assert.Equal(1, code);
        Assert.Contains("classifies mnist and this model makes fashion-mnist images", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Make_it_real_projects_the_training_images_when_asked_and_says_so()
    {
        string dir = TestData.TempDir(), model = TinyModel(dir);
        string[] Args(string from) => ["evaluate", "--checkpoint", model, "--samples", "10", "--steps", "1", "--norm",
            "running", "--projections", "30", "--projection-steps", "1", "--corrupt", "noise:sigma=0.6",
            "--projections-from", from, "--out", Path.Combine(dir, from)];
        var rows = new Dictionary<string, JsonElement>();
        foreach (var from in new[] { "test", "train" })
        {
            var (code, error) = Run(Args(from));
            Assert.True(code == 0, error);
            var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, from, "report.json"))).RootElement;
            Assert.Equal(from == "train" ? "training" : "test", root.GetProperty("projectedImages").GetString());
            Assert.Equal(30, root.GetProperty("projectionCount").GetInt32());
            Assert.Contains($"30 corrupted {(from == "train" ? "training" : "test")} digits",
                            File.ReadAllText(Path.Combine(dir, from, "report.md")));
            rows[from] = root.GetProperty("modes")[0].GetProperty("projections")[0];
        }
        // the same noise on other digits: the corrupted images lie elsewhere
        Assert.NotEqual(rows["test"].GetProperty("errorCorrupted").GetDouble(),
                        rows["train"].GetProperty("errorCorrupted").GetDouble());
        var (badCode, badError) = Run(Args("validation"));
        Assert.Equal(1, badCode);
        Assert.Contains("--projections-from must be test or train", badError);
    }

    [Fact]
    public void Evaluate_writes_the_report_tables_and_pictures()
    {
        string dir = TestData.TempDir(), outDir = Path.Combine(dir, "eval");
        var (code, error) = Run("evaluate", "--checkpoint", TinyModel(dir), "--samples", "60", "--projections", "40", "--steps", "1,2",
                              "--projection-steps", "1,2,5", "--out", outDir);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var root = json.RootElement;
        var modes = root.GetProperty("modes");
        Assert.Equal(["batch", "running"], modes.EnumerateArray().Select(m => m.GetProperty("norm").GetString()));
        var samples = modes[0].GetProperty("samples");
        Assert.Equal(2, samples.GetArrayLength());
        Assert.Equal(60, samples[0].GetProperty("classCounts").EnumerateArray().Sum(c => c.GetInt64()));
        var projections = modes[0].GetProperty("projections");
        // the default corruptions (the inpainted occlusion among them), the canvas digits, and the font digits where
        // fonts are installed
        int otherDigits = Ign.Data.FontDigits.Render().Count > 0 ? 2 : 1;
        Assert.Equal(new Ign.Evaluation.EvaluationOptions().Corruptions.Length + otherDigits, projections.GetArrayLength());
        Assert.StartsWith("canvas digits", projections[projections.GetArrayLength() - 1].GetProperty("corruption").GetString());
        Assert.StartsWith("inpaint occlude:", projections[3].GetProperty("corruption").GetString());
        Assert.All(projections.EnumerateArray(), p => Assert.Equal(3, p.GetProperty("accuracyProjected").GetArrayLength()));
        Assert.All(projections.EnumerateArray(), p =>
            Assert.Equal([1, 2, 5], p.GetProperty("ks").EnumerateArray().Select(k => k.GetInt32())));
        Assert.All(projections.EnumerateArray(), p =>
            Assert.Contains(p.GetProperty("worseAtLaterK").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False }));
        // lost and gained count the digits behind the change in accuracy from the first k to the last
        foreach (var p in projections.EnumerateArray().Take(new Ign.Evaluation.EvaluationOptions().Corruptions.Length))
        {
            var accuracy = p.GetProperty("accuracyProjected").EnumerateArray().Select(a => a.GetDouble()).ToArray();
            int lost = p.GetProperty("lost").GetInt32(), gained = p.GetProperty("gained").GetInt32();
            Assert.Equal(Math.Round((accuracy[^1] - accuracy[0]) * 40), gained - lost);
            Assert.InRange(lost, 0, Math.Round(accuracy[0] * 40));
        }
        bool anyLost = projections.EnumerateArray().Any(p => p.GetProperty("lost").GetInt32() > 0);
        Assert.Equal(anyLost, File.Exists(Path.Combine(outDir, "lost.png")));
        // the real training digits sit far closer to the test set than noise does
        Assert.True(root.GetProperty("floor").GetProperty("frechet").GetDouble() * 10 < root.GetProperty("ceiling").GetProperty("frechet").GetDouble());
        Assert.True(root.GetProperty("classifierTestAccuracy").GetDouble() >= 0.99);
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("BatchNorm with running statistics", md);
        Assert.Contains("| lost / gained by the last k | worse at a later k |", md);
        if (anyLost) Assert.Contains("](lost.png)", md);
        foreach (var png in new[] { "frechet.png", "precision-recall.png", "idempotence.png", "samples-batch.png", "samples-running.png", "projections.png", "losses.png" })
        {
            Assert.True(new FileInfo(Path.Combine(outDir, png)).Length > 1000, png);
            Assert.Contains($"]({png})", md);
        }
    }

    [Fact]
    public void Half_precision_export_halves_the_file_and_loads_back()
    {
        string dir = TestData.TempDir(), model = TinyModel(dir), half = Path.Combine(dir, "half.ckpt");
        var (code, error) = Run("export", "--checkpoint", Path.Combine(dir, "run", "checkpoint.ckpt"), "--out", half, "--half");
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(half).Length < 0.6 * new FileInfo(model).Length);
        using var full = TrainedModel.Load(model, TorchSharp.torch.CPU);
        using var small = TrainedModel.Load(half, TorchSharp.torch.CPU);
        var a = full.Network.state_dict();
        var b = small.Network.state_dict();
        foreach (var (name, t) in a)
            if (t.is_floating_point())
                Assert.True((t - b[name]).abs().max().item<float>() <= 1e-3 * Math.Max(1, t.abs().max().item<float>()), name);
    }
}
