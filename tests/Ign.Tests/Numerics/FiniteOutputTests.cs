using Ign.Imaging;
using Ign.Numerics;
using Ign.Sampling;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Ign.Normalization;

namespace Ign.Tests.Numerics;

public class FiniteOutputTests
{
    private sealed class NaNAfter(int finiteCalls) : Module<Tensor, Tensor>("NaNAfter")
    {
        private int calls;
        public override Tensor forward(Tensor x) => ++calls > finiteCalls ? x * float.NaN : x * 0.5;
    }

    [Fact]
    public void Sampling_refuses_a_non_finite_output_and_names_the_step()
    {
        using var scope = NewDisposeScope();
        var z = randn(2, 1, 4, 4);
        using var f = new NaNAfter(1);
        var ex = Assert.Throws<NumericsException>(() => Sampler.Iterate(f, z, [1, 2], NormMode.Batch));
        Assert.StartsWith("f^2 of the input: 32 of 32 values are NaN or infinite", ex.Message);
        using var g = new NaNAfter(5);
        Assert.Equal(2, Sampler.Iterate(g, z, [1, 2], NormMode.Batch).Count); // finite outputs pass
    }

    [Fact]
    public void No_image_with_NaN_is_encoded()
    {
        using var scope = NewDisposeScope();
        var images = zeros(1, 1, 4, 4);
        Assert.Equal(16, ImageGrid.ToBytes(images).Length);
        images[0, 0, 1, 2] = float.PositiveInfinity;
        var ex = Assert.Throws<NumericsException>(() => ImageGrid.ToBytes(images));
        Assert.Contains("1 of 16 values", ex.Message);
        string path = Path.Combine(TestData.TempDir(), "never.png");
        Assert.Throws<NumericsException>(() => ImageGrid.SavePng(path, images, columns: 1));
        Assert.False(File.Exists(path));
    }
}
