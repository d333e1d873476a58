using System.Text.Json;
using Ign.Evaluation;
using Ign.Tests.Evaluation;
using static Ign.Tests.Cli.CliRunner;

namespace Ign.Tests.Cli;

/// <summary>`ign evaluate` on an emoji model: the encoder's feature space, restoration errors, no class fields; `ign encoder` input errors.</summary>
[Collection("console")]
public class EvaluateColourCliTests
{
    private static string TinyEmojiModel(string dir)
    {
        var (code, error) = Run("train", "--preset", "emoji64", "--width", "4", "--batch", "4", "--steps", "2", "--out", Path.Combine(dir, "run"));
        Assert.True(code == 0, error);
        return Path.Combine(dir, "run", "model.ckpt");
    }

    private static string TinyEncoder(string dir)
    {
        var (model, header) = AutoencoderTests.Tiny(AutoencoderTests.Squares(8, 64), 1);
        using var _ = model;
        string path = Path.Combine(dir, "tiny-ae.ign");
        AutoencoderFile.Save(path, model.Encoder, header with { Dataset = "emoji" });
        return path;
    }

    [Fact]
    public void Evaluate_an_emoji_model_in_an_encoders_feature_space()
    {
        string dir = TestData.TempDir(), outDir = Path.Combine(dir, "eval");
        var (code, error) = Run("evaluate", "--checkpoint", TinyEmojiModel(dir), "--encoder", TinyEncoder(dir), "--samples", "20", "--projections", "8",
                                "--steps", "1", "--norm", "batch", "--out", outDir);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("classifier").ValueKind);
        Assert.Contains("autoencoder's encoder trained on emoji (`tiny-ae.ign`", root.GetProperty("featureSpace").GetString());
        Assert.Equal(378, root.GetProperty("testCount").GetInt32());
        Assert.Equal(20, root.GetProperty("floorCount").GetInt32());
        var mode = Assert.Single(root.GetProperty("modes").EnumerateArray());
        var sample = Assert.Single(mode.GetProperty("samples").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, sample.GetProperty("classCounts").ValueKind);
        Assert.True(sample.GetProperty("idempotenceError").GetDouble() > 0);
        Assert.True(mode.GetProperty("reconstructionError").GetDouble() > 0);
        var projections = mode.GetProperty("projections").EnumerateArray().ToList();
        Assert.Equal(["grayscale", "noise", "occlude", "inpaint occlude", "jitter"],
                     projections.Select(p => p.GetProperty("corruption").GetString()!.Split(':')[0]));
        Assert.All(projections, p => Assert.Equal(3, p.GetProperty("errorProjected").GetArrayLength())); // f, f², f³
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("features: the 128 outputs of a convolutional autoencoder's encoder trained on emoji", md);
        Assert.Contains("restoration error", md);
        foreach (var png in new[] { "frechet.png", "precision-recall.png", "samples-batch.png", "projections.png" })
            Assert.True(new FileInfo(Path.Combine(outDir, png)).Length > 1000, png);
    }

    [Theory]
    [InlineData("missing encoder", "ign encoder train --dataset emoji")]
    [InlineData("encoder epochs", "--epochs")]
    [InlineData("encoder for 28×28", "multiple of 16, got 28")]
    public void Bad_input_gives_one_line_and_exit_code_1(string kind, string expected)
    {
        string dir = TestData.TempDir();
        string[] args = kind switch
        {
            "missing encoder" => ["evaluate", "--checkpoint", TinyEmojiModel(dir), "--encoder", Path.Combine(dir, "none.ign"), "--out", Path.Combine(dir, "eval")],
            "encoder epochs" => ["encoder", "train", "--epochs", "0", "--out", Path.Combine(dir, "e.ign")],
            _ => ["encoder", "train", "--dataset", "mnist", "--out", Path.Combine(dir, "e.ign")],
        };
        var (code, error) = Run(args);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(dir, "eval")));
        Assert.False(File.Exists(Path.Combine(dir, "e.ign")));
    }
}
