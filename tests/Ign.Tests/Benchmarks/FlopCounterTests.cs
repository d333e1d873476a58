using Ign.Benchmarks;
using Ign.Models;

namespace Ign.Tests.Benchmarks;

public class FlopCounterTests
{
    [Fact]
    public void Seed_model_forward_flops_match_the_architecture_by_hand()
    {
        // MACs = weight count × output positions (convolution) or × input positions (transposed convolution).
        long encoder = 64L * 1 * 4 * 4 * 14 * 14 + 128L * 64 * 4 * 4 * 7 * 7 + 256L * 128 * 3 * 3 * 5 * 5 + 512L * 256 * 3 * 3 * 3 * 3 + 512L * 512 * 3 * 3 * 1 * 1;
        long decoder = 512L * 256 * 3 * 3 * 1 * 1 + 256L * 128 * 3 * 3 * 3 * 3 + 128L * 64 * 3 * 3 * 5 * 5 + 64L * 32 * 4 * 4 * 7 * 7 + 32L * 1 * 4 * 4 * 14 * 14;
        double flops = FlopCounter.ForwardFlopsPerImage(new DcganMnist(baseWidth: 64), [1, 28, 28]);
        Assert.Equal(2.0 * (encoder + decoder), flops);
        Assert.InRange(FlopCounter.IgnStepFlopsPerImage(flops) / 1e9, 0.75, 0.77); // IGN-METHOD.md: about 0.76 GFLOP per image
    }
}
