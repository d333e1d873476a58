using Ign.Benchmarks;

namespace Ign.Tests.Benchmarks;

public class LossCheckTests
{
    [Fact]
    public void Seed_losses_match_pytorch_on_the_same_weights_and_inputs()
    {
        // Printed by `/usr/bin/python3 bench/peer_losses.py 8` with Debian's PyTorch 1.13.1: an independent implementation.
        var (rec, idem, tight, total) = LossCheck.SeedLosses(baseWidth: 8);
        Assert.Equal(0.636636, rec, 5);
        Assert.Equal(0.028307, idem, 5);
        Assert.Equal(-0.028307, tight, 5);
        Assert.Equal(13.228093, total, 4);
    }
}
