using Ign.Models;
using Ign.Objective;
using Ign.Sampling;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Tests.Sampling;

public class SamplerTests
{
    private static DcganMnist TrainedALittle()
    {
        manual_seed(2);
        var f = new DcganMnist(baseWidth: 4);
        f.train();
        using (no_grad()) for (int i = 0; i < 3; i++) f.forward(randn(16, 1, 28, 28)); // move the running statistics off their defaults
        return f;
    }

    [Fact]
    public void Iterate_applies_f_k_times_for_each_requested_k()
    {
        var f = TrainedALittle();
        var z = randn(5, 1, 28, 28);
        var outputs = Sampler.Iterate(f, z, [0, 1, 3], NormMode.Running);
        Assert.True(outputs[0].Same(z));
        f.eval();
        using (no_grad())
        {
            var once = f.forward(z);
            Assert.True(outputs[1].allclose(once, atol: 1e-6));
            Assert.True(outputs[2].allclose(f.forward(f.forward(once)), atol: 1e-6));
        }
    }

    [Fact]
    public void Batch_mode_leaves_running_statistics_and_training_mode_unchanged()
    {
        var f = TrainedALittle();
        f.train();
        var before = f.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        Sampler.Iterate(f, randn(16, 1, 28, 28), [1, 2, 3], NormMode.Batch);
        foreach (var (name, value) in f.state_dict())
            Assert.True(value.Same(before[name]), $"{name} changed by sampling");
        Assert.True(f.training);
    }

    [Fact]
    public void Running_mode_gives_each_image_the_same_output_whatever_its_batch_mates()
    {
        var f = TrainedALittle();
        var z = randn(6, 1, 28, 28);
        var alone = Sampler.Iterate(f, z[..1], [1], NormMode.Running)[0];
        var together = Sampler.Iterate(f, z, [1], NormMode.Running)[0];
        Assert.True(alone.allclose(together[..1], atol: 1e-5));
        var batchAlone = Sampler.Iterate(f, z[..2], [1], NormMode.Batch)[0];
        var batchTogether = Sampler.Iterate(f, z, [1], NormMode.Batch)[0];
        Assert.False(batchAlone.allclose(batchTogether[..2], atol: 1e-5)); // batch statistics do depend on the batch
    }
}
