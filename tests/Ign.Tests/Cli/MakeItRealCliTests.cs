using static Ign.Tests.Cli.CliRunner;
using System.Text.Json;
using Ign.Cli;
using SkiaSharp;

namespace Ign.Tests.Cli;

/// <summary>project, iterate and latent on a tiny trained model: outputs written, bad input refused with one line.</summary>
[Collection("console")]
public class MakeItRealCliTests
{
    private static string Picture(string dir)
    {
        using var bitmap = new SKBitmap(50, 70);
        bitmap.Erase(SKColors.White);
        for (int y = 10; y < 60; y++) bitmap.SetPixel(25, y, SKColors.Black);
        string path = Path.Combine(dir, "drawing.png");
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    [Fact]
    public void Project_writes_the_grid_each_output_and_its_settings()
    {
        string dir = TestData.TempDir(), png = Path.Combine(dir, "grid.png"), each = Path.Combine(dir, "each");
        var (code, error) = Run("project", "--checkpoint", TinyModel.Value, "--input", Picture(dir), "--corrupt", "noise:0.3", "--steps", "1,2", "--out", png, "--each", each);
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(png).Length > 100);
        Assert.Equal(["drawing_corrupted.png", "drawing_k1.png", "drawing_k2.png"], Directory.GetFiles(each).Select(Path.GetFileName).Order());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "grid.json")));
        Assert.Equal("noise:sigma=0.3", json.RootElement.GetProperty("corruption").GetString());
    }

    [Fact]
    public void Project_from_the_test_set()
    {
        string png = Path.Combine(TestData.TempDir(), "test.png");
        var (code, error) = Run("project", "--checkpoint", TinyModel.Value, "--from-test", "4", "--corrupt", "sketch+occlude:6", "--out", png);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(png));
    }

    [Fact]
    public void Iterate_logs_the_change_at_every_step()
    {
        string dir = TestData.TempDir(), png = Path.Combine(dir, "it.png");
        var (code, error) = Run("iterate", "--checkpoint", TinyModel.Value, "--count", "2", "--k", "0,1,5,20", "--out", png);
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(Path.Combine(dir, "it-change.csv"));
        Assert.Equal(21, lines.Length); // header + k = 0..19
        Assert.True(File.Exists(Path.Combine(dir, "it-change.png")));
    }

    [Theory]
    [InlineData("--corrupt occlude:size=6,x=0,y=0 --inpaint")]
    [InlineData("--mask MASK")]
    public void Inpainting_keeps_every_known_pixel_of_the_input(string options)
    {
        string dir = TestData.TempDir(), prefix = Path.Combine(dir, "raw"), mask = Path.Combine(dir, "mask.png");
        using (var bitmap = new SKBitmap(28, 28))
        {
            bitmap.Erase(SKColors.Black);
            for (int y = 0; y < 6; y++) for (int x = 0; x < 6; x++) bitmap.SetPixel(x, y, SKColors.White);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(mask, data.ToArray());
        }
        string[] args = ["project", "--checkpoint", TinyModel.Value, "--from-test", "3",
            .. options.Replace("MASK", mask).Split(' '), "--steps", "1,2", "--raw", prefix,
            "--out", Path.Combine(dir, "p.png")];

        var (code, error) = Run(args);

        Assert.True(code == 0, error);
        byte[] input = File.ReadAllBytes(prefix + "_x.idx"), second = File.ReadAllBytes(prefix + "_k2.idx");
        int header = 16, differing = 0, differingOutside = 0;
        for (int i = header; i < input.Length; i++)
        {
            int pixel = (i - header) % (28 * 28), row = pixel / 28, col = pixel % 28;
            bool hole = row < 6 && col < 6;
            if (input[i] != second[i]) { differing++; if (!hole) differingOutside++; }
        }
        Assert.Equal(0, differingOutside);
        Assert.True(differing > 0, "f filled nothing");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "p.json")));
        Assert.True(json.RootElement.GetProperty("inpaint").GetBoolean());
        Assert.Equal(100, json.RootElement.GetProperty("holeFit").GetInt32());           // the default fit
    }

    [Theory]
    [InlineData("interpolate")]
    [InlineData("arithmetic")]
    [InlineData("halves")]
    public void Latent_figures_are_written(string kind)
    {
        string png = Path.Combine(TestData.TempDir(), kind + ".png");
        var (code, error) = Run("latent", kind, "--checkpoint", TinyModel.Value, "--rows", "2", "--out", png);
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(png).Length > 100);
    }
}

[Collection("console")]
public class SingleImageDeterminismTests
{
    [Fact]
    public void One_generated_image_is_the_same_alone_or_among_others_with_running_statistics()
    {
        string dir = TestData.TempDir();
        Assert.Equal(0, IgnCli.Run(["train", "--preset", "tiny", "--steps", "2", "--out", dir]));
        string model = Path.Combine(dir, "model.ckpt");
        Assert.Equal(0, IgnCli.Run(["generate", "--checkpoint", model, "--count", "1", "--norm", "running", "--steps", "1", "--out", Path.Combine(dir, "one.png"), "--raw", Path.Combine(dir, "one")]));
        Assert.Equal(0, IgnCli.Run(["generate", "--checkpoint", model, "--count", "8", "--norm", "running", "--steps", "1", "--out", Path.Combine(dir, "eight.png"), "--raw", Path.Combine(dir, "eight")]));
        var one = Ign.Data.IdxFile.Read(Path.Combine(dir, "one_k1.idx"));
        var eight = Ign.Data.IdxFile.Read(Path.Combine(dir, "eight_k1.idx"));
        Assert.Equal(one.Values, eight.Values.AsSpan(0, 28 * 28).ToArray());
    }
}
