using static Ign.Tests.Cli.CliRunner;

namespace Ign.Tests.Cli;

/// <summary>
/// Every command refuses bad input with one line on stderr and exit code 1, and writes nothing. In the command lines,
/// {dir} is an empty folder, {junk} a text file named junk.ckpt, {junkpng} a text file named junk.png, {model} a tiny
/// trained model; '_' stands for a space inside one argument.
/// </summary>
[Collection("console")]
public class BadInputCliTests
{
    [Theory]
    [InlineData("generate --checkpoint {dir}/none.ckpt", "not found")]
    [InlineData("generate --checkpoint {junk}", "not an IGN checkpoint")]
    [InlineData("generate --checkpoint {junk} --steps 1,x", "--steps")]
    [InlineData("generate --checkpoint {junk} --norm sometimes", "--norm")]
    [InlineData("generate --checkpoint {junk} --count 0", "--count")]
    [InlineData("train --preset huge --out {dir}", "unknown preset")]
    [InlineData("train --preset tiny --clamp soft --out {dir}", "--clamp")]
    [InlineData("train --preset tiny --data {dir}/nowhere --out {dir}", "not found")]
    [InlineData("train --preset tiny --device cuda --out {dir}", "CUDA")]
    [InlineData("evaluate --checkpoint {dir}/some.ckpt --samples 3", "--samples")]
    [InlineData("evaluate --checkpoint {dir}/some.ckpt --corrupt smudge", "unknown corruption 'smudge'")]
    [InlineData("evaluate --checkpoint {dir}/some.ckpt --norm maybe", "--norm")]
    [InlineData("evaluate --checkpoint {model} --classifier {dir}/none.ign --out {dir}/eval", "no classifier here")]
    [InlineData("evaluate --checkpoint {dir}/some.ckpt --out {dir}/eval", "not found")]
    [InlineData("export --checkpoint {dir}/some.ckpt --out {dir}/some.ckpt", "must differ")]
    [InlineData("export --checkpoint {model} --format onnx --out {dir}/m.onnx", "--format must be")]
    [InlineData("export --checkpoint {model} --format pytorch --out {dir}/m.ckpt", "must end in .pt")]
    [InlineData("export --checkpoint {model} --format pytorch --recalibrate-bn 2 --out {dir}/m.pt", "needs --format ign")]
    [InlineData("export --checkpoint {model} --image-kinds lowres --out {dir}/m.ckpt", "needs --recalibrate-bn")]
    [InlineData("export --checkpoint {model} --recalibrate-bn 1 --image-kinds fog --out {dir}/m.ckpt", "unknown corruption 'fog'")]
    [InlineData("export --checkpoint {model} --recalibrate-bn 20000 --out {dir}/m.ckpt", "between 0 and 10000")]
    [InlineData("average --checkpoints {model} {model} --recalibrate-bn 0 --image-kinds lowres --out {dir}/a.ckpt", "needs --recalibrate-bn")]
    [InlineData("average --checkpoints {model} {model} --recalibrate-bn -1 --out {dir}/a.ckpt", "between 0 and 10000")]
    [InlineData("project --checkpoint {model} --from-test 2 --input-kind blur --out {dir}/out.png", "for 'blur' images (it has: lowres, sketch")]
    [InlineData("classifier train --epochs 0 --out {dir}/c.ign", "--epochs")]
    [InlineData("classifier train --dataset cifar --out {dir}/c.ign", "--dataset: 'cifar' is not mnist or fashion-mnist")]
    [InlineData("project --checkpoint {model} --input {junkpng} --out {dir}/out.png", "not an image")]
    [InlineData("project --checkpoint {model} --input {dir}/none.png --out {dir}/out.png", "file not found")]
    [InlineData("project --checkpoint {model} --out {dir}/out.png", "either --input")]
    [InlineData("project --checkpoint {model} --input {junkpng} --from-test 2 --out {dir}/out.png", "either --input")]
    [InlineData("project --checkpoint {model} --from-test 2 --corrupt fog --out {dir}/out.png", "unknown corruption 'fog'")]
    [InlineData("project --checkpoint {model} --from-test 2 --corrupt noise:much --out {dir}/out.png", "sigma must be a number")]
    [InlineData("project --checkpoint {junkpng} --from-test 2 --out {dir}/out.png", "not an IGN checkpoint")]
    [InlineData("project --checkpoint {model} --from-test 2 --out {dir}/out.jpg", "--out must name a .png")]
    [InlineData("project --checkpoint {model} --from-test 2 --fit squash --out {dir}/out.png", "--fit")]
    [InlineData("project --checkpoint {model} --from-test 2 --corrupt noise:0.3 --inpaint --out {dir}/out.png",
        "--inpaint needs a corruption")]
    [InlineData("project --checkpoint {model} --from-test 2 --mask {dir}/none.png --out {dir}/out.png",
        "file not found")]
    [InlineData("project --checkpoint {model} --from-test 2 --corrupt occlude:6 --inpaint --hole-fit -1 " +
                "--out {dir}/out.png", "--hole-fit must be between 0 and 10000")]
    [InlineData("evaluate --checkpoint {model} --hole-fit 20000 --out {dir}/eval", "--hole-fit must be between")]
    [InlineData("evaluate --checkpoint {model} --corrupt inpaint_noise:0.3 --out {dir}/eval",
        "inpainting needs a corruption")]
    [InlineData("score --checkpoint {model}", "either --input")]
    [InlineData("score --checkpoint {model} --input {dir}/none.png", "file not found")]
    [InlineData("score --checkpoint {model} --input {junkpng}", "not an image")]
    [InlineData("score --checkpoint {model} --roc {dir}/roc --count 5", "--count")]
    [InlineData("score --checkpoint {model} --input {junkpng} --calibrate 2", "--calibrate")]
    [InlineData("iterate --checkpoint {model} --count 0 --out {dir}/out.png", "--count")]
    [InlineData("iterate --checkpoint {model} --k 1,-3 --out {dir}/out.png", "--k")]
    [InlineData("latent interpolate --checkpoint {model} --path wiggly --out {dir}/out.png", "--path")]
    [InlineData("latent halves --checkpoint {model} --rows 0 --out {dir}/out.png", "--rows")]
    public void Bad_input_gives_one_line_exit_1_and_writes_nothing(string commandLine, string expected)
    {
        string dir = TestData.TempDir();
        File.WriteAllText(Path.Combine(dir, "junk.ckpt"), "not a checkpoint at all");
        File.WriteAllText(Path.Combine(dir, "junk.png"), "junk");
        var before = Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order().ToList();
        string[] args = commandLine.Split(' ').Select(a => a.Replace('_', ' ')
            .Replace("{dir}", dir).Replace("{junkpng}", Path.Combine(dir, "junk.png"))
            .Replace("{junk}", Path.Combine(dir, "junk.ckpt")).Replace("{model}", TinyModel.Value)).ToArray();

        var (code, error) = Run(args);

        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(before, Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order());
    }
}
