using System.Text.Json;
using static Ign.Tests.Cli.CliRunner;

namespace Ign.Tests.Cli;

public class ScoreCliTests
{
    [Fact]
    public void Score_rates_a_digit_nearer_the_data_than_noise_and_roc_writes_its_curves()
    {
        string dir = TestData.TempDir();
        var test = Ign.Data.MnistFolder.LoadEmbeddedMnist(Ign.Data.Split.Test);
        string digit = Path.Combine(dir, "digit.png"), noise = Path.Combine(dir, "noise.png");
        using (var x = test.First(1)) Ign.Imaging.ImageGrid.SaveImage(digit, x[0], scale: 1);
        using (var z = TorchSharp.torch.rand(1, 28, 28) * 2 - 1) Ign.Imaging.ImageGrid.SaveImage(noise, z, scale: 1);

        string json = Path.Combine(dir, "scores.json");
        var (code, error) = Run("score", "--checkpoint", TinyModel.Value, "--input", digit, noise, "--calibrate", "50",
            "--json", json);
        Assert.True(code == 0, error);
        using var scores = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(2, scores.RootElement.GetArrayLength());
        foreach (var s in scores.RootElement.EnumerateArray())
        {
            Assert.InRange(s.GetProperty("percentile").GetDouble(), 0, 100);
            Assert.True(s.GetProperty("distance").GetDouble() >= 0 && s.GetProperty("idempotenceGap").GetDouble() >= 0);
        }

        string roc = Path.Combine(dir, "roc");
        (code, error) = Run("score", "--checkpoint", TinyModel.Value, "--roc", roc, "--count", "20", "--calibrate", "20");
        Assert.True(code == 0, error);
        using var rows = JsonDocument.Parse(File.ReadAllText(Path.Combine(roc, "roc.json")));
        var sets = rows.RootElement.EnumerateArray().Select(r => r.GetProperty("set").GetString()).ToList();
        Assert.Contains("prior noise", sets);
        Assert.Contains("canvas digits", sets);
        Assert.All(rows.RootElement.EnumerateArray(), r => Assert.InRange(r.GetProperty("aucByDistance").GetDouble(), 0, 1));
        Assert.True(new FileInfo(Path.Combine(roc, "roc.png")).Length > 5_000);
        Assert.Contains("| prior noise |", File.ReadAllText(Path.Combine(roc, "roc.md")));
    }
}
