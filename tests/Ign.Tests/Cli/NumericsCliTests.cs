using Ign.Numerics;
using static Ign.Tests.Cli.CliRunner;

namespace Ign.Tests.Cli;

[Collection("console")]
public class NumericsCliTests
{
    [Fact]
    public void Commands_refuse_to_write_what_a_wrong_convolution_made()
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "1", "--out", Path.Combine(dir, "run"));
        Assert.True(code == 0, error);
        string model = Path.Combine(dir, "run", "model.ckpt");
        using var broken = ConvolutionGuard.UseKernels(shape =>
            shape.OutChannels == 1 ? (x, w) => UnfoldConvolution.Apply(shape, x, w, null) * float.NaN : null);
        foreach (var args in new[]
        {
            new[] { "generate", "--checkpoint", model, "--count", "4", "--out", Path.Combine(dir, "g.png") },
            ["project", "--checkpoint", model, "--from-test", "2", "--corrupt", "noise:0.3", "--out", Path.Combine(dir, "p.png")],
            ["iterate", "--checkpoint", model, "--k", "0,1,2", "--out", Path.Combine(dir, "i.png")],
        })
        {
            (code, error) = Run(args);
            Assert.Equal(1, code);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains("NaN or infinite", error);
            Assert.False(File.Exists(args[^1]), $"{args[0]} wrote {args[^1]}");
        }
    }

    [Fact]
    public void Doctor_prints_the_machine_and_a_verdict_for_every_shape()
    {
        var (code, output) = CaptureOut(() => Ign.Cli.IgnCli.Run(["doctor", "--preset", "tiny", "--width", "4", "--repetitions", "1"]));
        Assert.Equal(0, code);
        Assert.Contains("oneDNN ISA:", output);
        Assert.Contains("libtorch 2.10.0", output);
        foreach (var layer in new[] { "encoder.conv1", "encoder.conv4", "decoder.deconv2", "decoder.deconv5" }) Assert.Contains(layer, output);
        Assert.Matches("(all 8 convolution shapes agree|[1-8] of 8 shapes are computed wrongly)", output);
    }
}
