using System.Text.Json;
using SkiaSharp;
using static Ign.Tests.Cli.CliRunner;

namespace Ign.Tests.Cli;

public class ConditionalCliTests
{
    /// <summary>The tiny preset trained with --conditional given as a bare flag, once for these tests.</summary>
    private static readonly Lazy<string> TinyConditional = new(() =>
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "2", "--conditional", "--out", dir);
        Assert.True(code == 0, error);
        return Path.Combine(dir, "model.ckpt");
    });

    [Fact]
    public void Compose_joins_an_unconditional_and_a_conditional_model_and_refuses_them_swapped()
    {
        string dir = TestData.TempDir(), composed = Path.Combine(dir, "both.ckpt"), three = Path.Combine(dir, "3.png");
        var (code, error) = Run("compose", "--null-class", TinyConditional.Value, "--classes", TinyModel.Value,
            "--out", composed);
        Assert.Equal(1, code);
        Assert.Contains("must be unconditional", error);
        Assert.False(File.Exists(composed));

        (code, error) = Run("compose", "--null-class", TinyModel.Value, "--classes", TinyConditional.Value,
            "--out", composed);
        Assert.True(code == 0, error);
        (code, error) = Run("generate", "--checkpoint", composed, "--class", "3", "--count", "2", "--out", three);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(three));
    }

    [Fact]
    public void Generate_makes_a_row_per_class_and_one_class_on_request()
    {
        string dir = TestData.TempDir(), all = Path.Combine(dir, "all.png"), seven = Path.Combine(dir, "seven.png");
        var (code, error) = Run("generate", "--checkpoint", TinyConditional.Value, "--class", "all", "--count", "3",
            "--steps", "1", "--out", all);
        Assert.True(code == 0, error);
        using (var grid = SKBitmap.Decode(all))
        {
            // 3 columns × 10 rows of 28×28 at scale 2, with ImageGrid's 2-pixel gaps
            Assert.True(grid.Height > 2.5 * grid.Width, $"{grid.Width}×{grid.Height} is not 3 wide and 10 high");
        }
        (code, error) = Run("generate", "--checkpoint", TinyConditional.Value, "--class", "7", "--count", "4", "--out", seven);
        Assert.True(code == 0, error);
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(seven, ".json")));
        Assert.Equal("7", settings.RootElement.GetProperty("class").GetString());
    }

    [Fact]
    public void Generate_random_draws_a_class_per_sample_seeded_and_keeps_the_z_of_the_seed()
    {
        string dir = TestData.TempDir();
        string Generate(string name, params string[] extra)
        {
            string path = Path.Combine(dir, name + ".png");
            var (code, error) = Run(["generate", "--checkpoint", TinyConditional.Value, "--count", "40", "--steps",
                "0,1", "--raw", Path.Combine(dir, name), "--out", path, .. extra]);
            Assert.True(code == 0, error);
            return Path.Combine(dir, name);
        }
        static long[] Classes(string prefix)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(prefix + ".json"));
            return json.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetInt64()).ToArray();
        }
        string a = Generate("a", "--class", "random"), b = Generate("b", "--class", "random"),
            other = Generate("other", "--class", "random", "--seed", "1"), none = Generate("none");
        Assert.Equal(40, Classes(a).Length);
        Assert.All(Classes(a), c => Assert.InRange(c, 0, 9));
        Assert.True(Classes(a).Distinct().Count() >= 5, string.Join(",", Classes(a)));  // 40 uniform draws of 10
        Assert.Equal(Classes(a), Classes(b));                                           // seeded
        Assert.NotEqual(Classes(a), Classes(other));
        Assert.Equal(File.ReadAllBytes($"{none}_k0.idx"), File.ReadAllBytes($"{a}_k0.idx")); // the seed's z
        Assert.Equal(File.ReadAllBytes($"{a}_k1.idx"), File.ReadAllBytes($"{b}_k1.idx"));
    }

    [Theory]
    [InlineData("12", "--class must be 0 to 9")]
    [InlineData("seven", "--class must be a class number 0 to 9, all or random")]
    public void A_class_the_model_does_not_have_is_one_line(string label, string message)
    {
        var (code, error) = Run("generate", "--checkpoint", TinyConditional.Value, "--class", label,
            "--out", Path.Combine(TestData.TempDir(), "g.png"));
        Assert.Equal(1, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Export_to_pytorch_and_to_ign_format_keep_a_conditional_models_classes()
    {
        string dir = TestData.TempDir(), pt = Path.Combine(dir, "m.pt");
        var (code, error) = Run("export", "--checkpoint", TinyConditional.Value, "--out", pt, "--format", "pytorch",
            "--running-stats", "noise");
        Assert.True(code == 0, error);
        using (var exported = Ign.Training.TrainedModel.Load(pt, TorchSharp.torch.CPU))
            Assert.Equal(10, exported.Classes);
        (code, error) = Run("generate", "--checkpoint", pt, "--class", "3", "--count", "2", "--out",
            Path.Combine(dir, "threes.png"));
        Assert.True(code == 0, error);
        (code, error) = Run("export", "--checkpoint", TinyConditional.Value, "--out", Path.Combine(dir, "x.pt"),
            "--format", "pytorch", "--running-stats", "z");
        Assert.Equal(1, code);
        Assert.Contains("--running-stats must be trained, noise, images or generated", error);
        Assert.False(File.Exists(Path.Combine(dir, "x.pt")));
        string half = Path.Combine(dir, "half.ckpt");
        (code, error) = Run("export", "--checkpoint", TinyConditional.Value, "--out", half, "--half");
        Assert.True(code == 0, error);
        using var model = Ign.Training.TrainedModel.Load(half, TorchSharp.torch.CPU);
        Assert.Equal(10, model.Classes);
    }

    [Fact]
    public void An_unconditional_model_refuses_a_class()
    {
        var (code, error) = Run("project", "--checkpoint", TinyModel.Value, "--from-test", "2", "--class", "3",
            "--out", Path.Combine(TestData.TempDir(), "p.png"));
        Assert.Equal(1, code);
        Assert.Contains("--class needs a class-conditional model", error);
    }

    [Fact]
    public void Project_toward_a_class_and_evaluate_scores_every_class()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("project", "--checkpoint", TinyConditional.Value, "--from-test", "2", "--corrupt",
            "noise:sigma=0.5", "--class", "3", "--out", Path.Combine(dir, "p.png"));
        Assert.True(code == 0, error);

        string report = Path.Combine(dir, "eval");
        (code, error) = Run("evaluate", "--checkpoint", TinyConditional.Value, "--samples", "40", "--projections", "8",
            "--norm", "running", "--corrupt", "noise:sigma=0.3", "--out", report);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        var conditional = json.RootElement.GetProperty("modes")[0].GetProperty("conditional");
        Assert.Equal(10, conditional.GetProperty("classes").GetArrayLength());
        Assert.InRange(conditional.GetProperty("agreement").GetDouble(), 0, 1);
        foreach (var c in conditional.GetProperty("classes").EnumerateArray())    // 4 samples a class, k = 3
            Assert.InRange(c.GetProperty("recall").GetDouble(), 0, 1);
        Assert.InRange(conditional.GetProperty("pooledRecall").GetDouble(), 0, 1);
        Assert.InRange(conditional.GetProperty("pooledPrecision").GetDouble(), 0, 1);
        Assert.Contains("| recall |", File.ReadAllText(Path.Combine(report, "report.md")));
        Assert.Contains("the classifier agrees with the class asked for", File.ReadAllText(Path.Combine(report, "report.md")));
        Assert.True(File.Exists(Path.Combine(report, "classes-running.png")));
    }
}
