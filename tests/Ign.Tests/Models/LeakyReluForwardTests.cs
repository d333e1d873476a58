using Ign.Models;
using static TorchSharp.torch;

namespace Ign.Tests.Models;

public class LeakyReluForwardTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Computes_what_TorchSharps_LeakyReLU_computes_in_place_or_not(bool inplace)
    {
        manual_seed(5);
        var x = randn(3, 2, 4, 4);                                            // (3, 2, 4, 4)
        using var relu = nn.LeakyReLU(0.2, inplace);
        var expected = relu.forward(x.clone());
        var input = x.clone();
        var actual = LeakyReluForward.Apply(relu, input);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 0), "outputs differ");
        Assert.Equal(inplace, input.allclose(expected, rtol: 0, atol: 0));   // in place writes the input, as TorchSharp's
        Assert.True(actual.min().item<float>() < 0);                          // the negative side is scaled, not cut
    }

    [Fact]
    public void Its_Scalar_survives_garbage_collections_between_calls()
    {
        using var relu = nn.LeakyReLU(0.2);
        for (int i = 0; i < 3; i++)
        {
            var y = LeakyReluForward.Apply(relu, full(2, 2, -1f));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.Equal(-0.2f, y[0, 0].item<float>(), 6);
        }
    }
}
