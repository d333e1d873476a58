using Ign.Models;
using Ign.Sampling;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Tests.Sampling;

public class IterateWithChangesTests
{
    [Fact]
    public void Gives_the_plain_iterates_and_the_change_at_every_step()
    {
        manual_seed(4);
        var f = new DcganMnist(baseWidth: 8);
        var z = randn(3, 1, 28, 28);
        var plain = Sampler.Iterate(f, z, [0, 2, 5], NormMode.Running);
        var (outputs, changes) = Sampler.IterateWithChanges(f, z, [0, 2, 5], NormMode.Running);
        for (int i = 0; i < 3; i++) Assert.True(plain[i].Same(outputs[i]));
        Assert.Equal(5, changes.Length);
        var (f1, f2) = (Sampler.Iterate(f, z, [1], NormMode.Running)[0], outputs[1]);
        Assert.Equal((f1 - z).abs().mean().item<float>(), changes[0], 5);
        Assert.Equal((f2 - f1).abs().mean().item<float>(), changes[1], 5);
    }

    [Fact]
    public void Stops_when_cancelled()
    {
        var f = new DcganMnist(baseWidth: 8);
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() =>
            Sampler.IterateWithChanges(f, randn(1, 1, 28, 28), [100], NormMode.Running, k => { if (k == 3) cancel.Cancel(); }, cancel.Token));
    }
}
