using Ign.Models;
using Ign.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ign.Tests.Numerics;

public class ConvolutionGuardTests
{
    [Fact]
    public void An_unsafe_verdict_reroutes_every_layer_and_the_output_is_the_same_mathematics()
    {
        using var scope = NewDisposeScope();
        using var model = new DcganMnist(1, 16);
        model.eval();
        manual_seed(5);
        var x = rand(3, 1, 28, 28) * 2 - 1;
        Tensor onLibtorch, onUnfold;
        using (ConvolutionGuard.UseVerdicts(_ => ConvPath.Libtorch))
        using (no_grad())
            onLibtorch = model.forward(x);
        List<ConvUse> uses;
        using (ConvolutionGuard.UseVerdicts(_ => ConvPath.Unfold))
        {
            uses = ConvolutionGuard.Uses(model, 1, 28);
            using (no_grad()) onUnfold = model.forward(x);
        }
        Assert.Equal(8, uses.Count); // conv1-4, deconv2-5 (conv5 and deconv1 run as matmuls)
        Assert.All(uses, use => Assert.Equal(ConvPath.Unfold, use.Path));
        Assert.All(uses, use => Assert.NotNull(use.Layer));
        Assert.True((onLibtorch - onUnfold).abs().max().item<float>() < 1e-4f);
        Assert.True(onUnfold.isfinite().all().item<bool>());
    }

    [Fact]
    public void Inspect_says_in_one_line_how_many_shapes_were_rerouted()
    {
        using var model = new DcganMnist(1, 4);
        var said = new List<string>();
        void Listen(string line) => said.Add(line);
        ConvolutionGuard.Notice += Listen;
        try
        {
            using (ConvolutionGuard.UseVerdicts(shape => shape.InChannels == 8 ? ConvPath.Unfold : ConvPath.Libtorch))
            {
                string? line = ConvolutionGuard.Inspect(model, 1, 28, "test width 4");
                Assert.NotNull(line);
                Assert.Contains("2 of the 8 convolution shapes of test width 4", line); // conv3 8→16 and deconv3 8→4
            }
            using (ConvolutionGuard.UseVerdicts(_ => ConvPath.Libtorch))
                Assert.Null(ConvolutionGuard.Inspect(model, 1, 28, "test width 4"));
        }
        finally { ConvolutionGuard.Notice -= Listen; }
        Assert.Single(said);
    }

    [Fact]
    public void Float64_inputs_go_to_libtorch_whatever_the_verdict()
    {
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(3, 5, 3);
        conv.to(float64);
        var x = randn(2, 3, 8, 8, float64);
        var shape = ConvShape.Of(conv, x)!;
        using (ConvolutionGuard.UseVerdicts(_ => ConvPath.Unfold))
            Assert.Equal(ConvPath.Libtorch, ConvolutionGuard.PathFor(shape, x));
    }

    [Fact]
    public void Shapes_the_check_does_not_cover_pass_through()
    {
        using var scope = NewDisposeScope();
        using var dilated = nn.Conv2d(2, 2, 3, dilation: 2);
        Assert.Null(ConvShape.Of(dilated, randn(1, 2, 9, 9)));
        using var plain = nn.Conv2d(2, 2, 3);
        Assert.Equal("conv 2→2 k3 s1 p0 on 9×9", ConvShape.Of(plain, randn(1, 2, 9, 9))!.ToString());
        var y = ConvolutionGuard.Forward(dilated, randn(1, 2, 9, 9));
        Assert.Equal(new long[] { 1, 2, 5, 5 }, y.shape);
    }

    [Fact]
    public void Verdicts_are_kept_per_machine_fingerprint_and_a_broken_file_is_ignored()
    {
        string dir = TestData.TempDir();
        var cache = new VerdictCache(Path.Combine(dir, "conv-verdicts.json"));
        cache.Save("cpu A", "conv:1:8", ConvPath.Unfold);
        cache.Save("cpu A", "conv:8:16", ConvPath.Libtorch);
        cache.Save("cpu B", "conv:1:8", ConvPath.Libtorch);
        Assert.Equal(ConvPath.Unfold, cache.Load("cpu A")["conv:1:8"]);
        Assert.Equal(ConvPath.Libtorch, cache.Load("cpu B")["conv:1:8"]);
        Assert.Empty(cache.Load("cpu C"));
        File.WriteAllText(cache.Path, "{ not json");
        Assert.Empty(cache.Load("cpu A"));
        cache.Save("cpu A", "conv:1:8", ConvPath.Unfold); // rewrites the broken file whole
        Assert.Single(cache.Load("cpu A"));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }
}
