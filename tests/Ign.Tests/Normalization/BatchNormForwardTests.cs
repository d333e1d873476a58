using Ign.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Tests.Models;

public class BatchNormForwardTests
{
    private static BatchNorm2d NormWithState()
    {
        var norm = nn.BatchNorm2d(3);
        using (no_grad())
        {
            norm.weight.copy_(tensor(new[] { 0.5f, 1.5f, -1f }));
            norm.bias!.copy_(tensor(new[] { 0.1f, -0.2f, 0.3f }));
            norm.running_mean!.copy_(tensor(new[] { 0.2f, -0.1f, 0.4f }));
            norm.running_var!.copy_(tensor(new[] { 1.5f, 0.7f, 2f }));
        }
        return norm;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Computes_what_TorchSharps_BatchNorm_computes_and_updates_the_same_running_statistics(bool training)
    {
        manual_seed(3);
        var x = randn(4, 3, 5, 5) * 2 + 1;                                   // (4, 3, 5, 5)
        using var ours = NormWithState();
        using var theirs = NormWithState();
        ours.train(training);
        theirs.train(training);

        var expected = theirs.forward(x);
        var actual = BatchNormForward.Apply(ours, x);

        Assert.True(actual.allclose(expected, rtol: 0, atol: 0), "outputs differ");
        Assert.True(ours.running_mean!.allclose(theirs.running_mean!, rtol: 0, atol: 0), "running means differ");
        Assert.True(ours.running_var!.allclose(theirs.running_var!, rtol: 0, atol: 0), "running variances differ");
        Assert.Equal(theirs.num_batches_tracked!.item<long>(), ours.num_batches_tracked!.item<long>());
        Assert.Equal(training ? 1 : 0, ours.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void A_training_forward_of_the_seed_net_counts_one_batch_in_every_BatchNorm_and_moves_its_statistics()
    {
        manual_seed(4);
        using var f = new DcganMnist(1, 8);
        f.train();
        var norms = f.modules().OfType<BatchNorm2d>().ToList();
        Assert.Equal(7, norms.Count);

        using (no_grad()) f.forward(randn(4, 1, 28, 28));
        f.forward(randn(4, 1, 28, 28)).sum().backward();

        Assert.All(norms, n => Assert.Equal(2L, n.num_batches_tracked!.item<long>()));
        Assert.All(norms, n => Assert.True(n.running_mean!.abs().sum().item<float>() > 0, "running mean never moved"));
        Assert.All(norms, n => Assert.NotNull(n.weight.grad));                // the affine parameters still train
    }

    [Fact]
    public void Its_one_Scalar_survives_garbage_collections_between_calls()
    {
        using var norm = NormWithState();
        norm.train();
        for (int i = 0; i < 3; i++)
        {
            BatchNormForward.Apply(norm, randn(2, 3, 4, 4)).Dispose();
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(3L, norm.num_batches_tracked!.item<long>());
    }
}
