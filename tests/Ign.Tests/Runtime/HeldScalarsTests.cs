using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Tests.Runtime;

public class HeldScalarsTests
{
    [Fact]
    public void A_held_scalar_outlives_garbage_collections_until_its_holder_is_disposed()
    {
        var scalars = new HeldScalars();
        var half = scalars.Of(0.5);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var x = ones(3);
        using var halved = x.mul(half);
        Assert.Equal([0.5f, 0.5f, 0.5f], halved.data<float>().ToArray());

        scalars.Dispose();
        Assert.Throws<InvalidOperationException>(() => x.mul(half)); // freed with the holder, not before
    }
}
