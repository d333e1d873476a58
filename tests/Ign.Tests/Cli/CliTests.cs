using static Ign.Tests.Cli.CliRunner;
using Ign.Cli;
using Ign.Training;

namespace Ign.Tests.Cli;

/// <summary>Runs `ign` in-process; stderr is redirected, so these tests do not run in parallel with each other.</summary>
[Collection("console")]
public class CliTests
{

    [Fact]
    public void Train_then_generate_writes_a_grid_and_its_settings()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "2", "--out", Path.Combine(dir, "run"));
        Assert.True(code == 0, error);
        string png = Path.Combine(dir, "grid.png");
        (code, error) = Run("generate", "--checkpoint", Path.Combine(dir, "run", "model.ckpt"), "--count", "9", "--steps", "0,1,2", "--out", png, "--raw", Path.Combine(dir, "raw"));
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(png).Length > 100);
        Assert.True(File.Exists(Path.Combine(dir, "grid.json")));
        var raw = Ign.Data.IdxFile.Read(Path.Combine(dir, "raw_k1.idx"));
        Assert.Equal([9, 28, 28], raw.Shape);
    }

    [Fact]
    public void One_generated_image_is_the_same_alone_or_in_a_batch_with_a_recalibrated_model()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "2", "--recalibrate-bn", "2", "--out", Path.Combine(dir, "run"));
        Assert.True(code == 0, error);
        string model = Path.Combine(dir, "run", "model.ckpt");
        Assert.Equal(0, Run("generate", "--checkpoint", model, "--count", "1", "--steps", "1,3", "--out", Path.Combine(dir, "one.png"), "--raw", Path.Combine(dir, "one")).Code);
        Assert.Equal(0, Run("generate", "--checkpoint", model, "--count", "16", "--steps", "1,3", "--out", Path.Combine(dir, "many.png"), "--raw", Path.Combine(dir, "many")).Code);
        Assert.Contains("\"norm\": \"running\"", File.ReadAllText(Path.Combine(dir, "one.json"))); // auto picks running statistics
        foreach (string k in new[] { "k1", "k3" })
        {
            var one = Ign.Data.IdxFile.Read(Path.Combine(dir, $"one_{k}.idx")).Values;
            var many = Ign.Data.IdxFile.Read(Path.Combine(dir, $"many_{k}.idx")).Values;
            // batch size changes libtorch's kernel choice, so float rounding may move a pixel by one grey level, never more
            Assert.True(one.Zip(many).All(p => Math.Abs(p.First - p.Second) <= 1), $"{k}: the image changes with its batch-mates");
        }
        // without recalibrated statistics, auto keeps batch statistics (as trained)
        Assert.Equal(0, Run("generate", "--checkpoint", Path.Combine(dir, "run", "checkpoint.ckpt"), "--count", "4", "--out", Path.Combine(dir, "plain.png")).Code);
        Assert.Contains("\"norm\": \"batch\"", File.ReadAllText(Path.Combine(dir, "plain.json")));
    }

    [Fact]
    public void Training_into_an_existing_run_asks_for_resume()
    {
        string dir = TestData.TempDir();
        Assert.Equal(0, Run("train", "--preset", "tiny", "--steps", "1", "--out", dir).Code);
        var (code, error) = Run("train", "--preset", "tiny", "--out", dir);
        Assert.Equal(1, code);
        Assert.Contains("--resume", error);
        (code, error) = Run("train", "--resume", dir, "--steps", "2");
        Assert.True(code == 0, error);
        using var c = Checkpoint.Load(Path.Combine(dir, "checkpoint.ckpt"));
        Assert.Equal(2, c.Header.Step);
    }
}

[Collection("console")]
public class BenchCliTests
{
    [Fact]
    public void Bench_writes_a_report_with_throughput_and_peak()
    {
        string json = Path.Combine(TestData.TempDir(), "bench.json");
        int code = IgnCli.Run(["bench", "--width", "4", "--batch", "4,8", "--steps", "1", "--windows", "1", "--memory-steps", "2", "--out", json]);
        Assert.Equal(0, code);
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var throughput = report.RootElement.GetProperty("throughput");
        Assert.Equal(2, throughput.GetArrayLength());
        Assert.True(throughput[1].GetProperty("trainImagesPerSecond").GetDouble() > 0);
        Assert.True(report.RootElement.GetProperty("peak").GetProperty("convGflops").GetDouble() > 0);
    }
}
