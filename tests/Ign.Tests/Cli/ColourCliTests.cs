using Ign.Data;
using Ign.Tests.Data;
using SkiaSharp;
using static Ign.Tests.Cli.CliRunner;

namespace Ign.Tests.Cli;

/// <summary>The colour commands end to end: pack a folder, train dcgan64 on it for a step, generate; bench the 64×64 net.</summary>
[Collection("console")]
public class ColourCliTests
{
    private static string Pictures(int count)
    {
        string folder = Path.Combine(TestData.TempDir(), "pictures");
        for (int i = 0; i < count; i++)
            PictureFiles.Write(Path.Combine(folder, $"p{i:D2}.png"), 40 + i, 30, (x, y) => new SKColor((byte)(x * 5), (byte)(y * 8), (byte)(i * 20), (byte)(x < 3 ? 0 : 255)));
        File.WriteAllBytes(Path.Combine(folder, "broken.jpg"), []);
        return folder;
    }

    [Fact]
    public void Data_pack_writes_an_idx_file_and_the_names_of_its_images()
    {
        string folder = Pictures(3), dir = TestData.TempDir();
        string idx = Path.Combine(dir, "packed.idx.gz"), names = Path.Combine(dir, "names.txt");
        var (code, error) = Run("data", "pack", "--folder", folder, "--size", "16", "--background", "black", "--out", idx, "--names", names);
        Assert.True(code == 0, error);
        Assert.Equal([3, 16, 16, 3], IdxFile.Read(idx).Shape);
        Assert.Equal(["p00.png", "p01.png", "p02.png"], File.ReadAllLines(names));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(folder)!, "pictures.ign-cache-16-crop-black-rgb.gz"))); // packing caches nothing
        (code, error) = Run("data", "pack", "--folder", folder, "--fit", "squash", "--out", idx);
        Assert.Equal(1, code);
        Assert.Contains("--fit: 'squash' is not crop, pad or stretch", error);
    }

    [Fact]
    public void Train_dcgan64_on_a_folder_for_one_step_then_generate()
    {
        string folder = Pictures(10), dir = TestData.TempDir();
        var (code, error) = Run("train", "--dataset", "folder", "--data", folder, "--fit", "pad", "--model", "dcgan64", "--width", "8", "--batch", "4",
                                "--steps", "1", "--prior", "spectral", "--out", Path.Combine(dir, "run"));
        Assert.True(code == 0, error);
        var (genCode, genError) = Run("generate", "--checkpoint", Path.Combine(dir, "run", "model.ckpt"), "--count", "4", "--out", Path.Combine(dir, "g.png"), "--raw", Path.Combine(dir, "raw"));
        Assert.True(genCode == 0, genError);
        Assert.Equal([4, 64, 64, 3], IdxFile.Read(Path.Combine(dir, "raw_k1.idx")).Shape);
    }

    [Fact]
    public void An_emoji_model_projects_grayscale_test_emoji()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "emoji64", "--width", "4", "--batch", "4", "--steps", "1", "--out", Path.Combine(dir, "run"));
        Assert.True(code == 0, error);
        string png = Path.Combine(dir, "projected.png");
        (code, error) = Run("project", "--checkpoint", Path.Combine(dir, "run", "model.ckpt"), "--from-test", "4", "--corrupt", "grayscale", "--out", png);
        Assert.True(code == 0, error);
        using var grid = SKBitmap.Decode(png);
        Assert.True(grid.Height >= 64);
    }

    [Theory]
    [InlineData(new[] { "--dataset", "folder" }, "dataset 'folder' needs --data PATH")]
    [InlineData(new[] { "--dataset", "folder", "--data", "/nonexistent/pictures" }, "/nonexistent/pictures: image folder not found")]
    [InlineData(new[] { "--dataset", "emoji" }, "needs 28×28 images, got 64×64 (for 64×64 data use --model dcgan64 or --preset emoji64)")]
    [InlineData(new[] { "--dataset", "folder", "--data", "x", "--background", "grey" }, "--background: 'grey' is not one of white, black")]
    public void Bad_data_choices_are_one_line_errors(string[] args, string expected)
    {
        var (code, error) = Run(["train", "--steps", "1", "--width", "4", "--batch", "4", "--out", Path.Combine(TestData.TempDir(), "run"), .. args]);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [SkippableFact]
    public void Fashion_mnist_not_installed_says_how_to_install_it()
    {
        Skip.If(Directory.Exists(FashionMnist.DebianFolder), "dataset-fashion-mnist is installed here");
        var (code, error) = Run("train", "--dataset", "fashion-mnist", "--steps", "1", "--out", Path.Combine(TestData.TempDir(), "run"));
        Assert.Equal(1, code);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", error);
    }

    [Fact]
    public void Bench_measures_the_64x64_model()
    {
        string json = Path.Combine(TestData.TempDir(), "bench.json");
        var (code, error) = Run("bench", "--model", "dcgan64", "--width", "4", "--batch", "2", "--steps", "1", "--windows", "1", "--memory-steps", "0", "--out", json);
        Assert.True(code == 0, error);
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("dcgan64", report.RootElement.GetProperty("model").GetString());
        Assert.True(report.RootElement.GetProperty("throughput")[0].GetProperty("trainImagesPerSecond").GetDouble() > 0);
        Assert.True(report.RootElement.GetProperty("stepFlopsPerImage").GetDouble() > 1e7);
    }
}
