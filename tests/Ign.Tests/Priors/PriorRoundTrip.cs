using Ign.Priors;
using static TorchSharp.torch;

namespace Ign.Tests.Priors;

public static class PriorRoundTrip
{
    /// <summary>A prior rebuilt from its Statistics (what a checkpoint saves) draws the same z from the same seed.</summary>
    public static void AssertRestoresIdentically(IPrior prior, int channels, int height, int width)
    {
        using var restored = PriorFactory.Restore(prior.Name, channels, height, width, prior.Statistics);
        using var g1 = new Generator(4);
        using var g2 = new Generator(4);
        Assert.True(prior.Sample(8, CPU, g1).Same(restored.Sample(8, CPU, g2)), $"the restored {prior.Name} prior draws other samples");
    }
}
