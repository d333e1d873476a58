using Ign.Benchmarks;
using static TorchSharp.torch;

namespace Ign.Tests.Benchmarks;

public class LossCheckTests
{
    [Theory]
    // Printed by `/usr/bin/python3 bench/peer_losses.py 8` with Debian's PyTorch 1.13: an independent implementation
    [InlineData(ScalarType.Float32, 0.653818, 0.215060, 16.839909)]
    [InlineData(ScalarType.Float64, 0.653818, 0.215060, 16.839908)]
    public void Seed_losses_match_pytorch_on_the_same_weights_and_inputs(ScalarType dtype, double rec, double idem,
        double total)
    {
        var losses = LossCheck.SeedLosses(baseWidth: 8, dtype);

        Assert.Equal(rec, losses.Rec, 5);
        Assert.Equal(idem, losses.Idem, 5);
        Assert.Equal(-idem, losses.Tight, 5);
        Assert.Equal(total, losses.Total, 4);
    }
}
