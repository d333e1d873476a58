using Ign.Models;
using Ign.Objective;
using static TorchSharp.torch;
using Ign.Training;

namespace Ign.Tests.Objective;

public class FrozenCopyTests
{
    private static Dictionary<string, Tensor> Snapshot(TorchSharp.torch.nn.Module m) =>
        m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

    [Fact]
    public void Copy_equals_f_after_sync_and_is_untouched_by_the_optimizer_step()
    {
        manual_seed(3);
        var f = new DcganMnist(baseWidth: 4);
        var copy = new FrozenCopy(f, new DcganMnist(baseWidth: 4));
        var adam = new AdamOptimizer(f.parameters(), 1e-2, 0.5, 0.999);
        var objective = new IgnObjective(ObjectiveConfig.Paper);
        var x = rand(8, 1, 28, 28) * 2 - 1;
        var z = randn(8, 1, 28, 28);

        f.train();
        copy.Sync(f);
        var copyTensorsBefore = copy.Module.state_dict().Values.ToList();
        foreach (var (name, value) in f.state_dict())
            Assert.True(value.Same(copy.Module.state_dict()[name]), $"{name} differs after sync");
        Assert.True(copy.Module.training);

        var syncedWeights = Snapshot(copy.Module);
        var losses = objective.Compute(f, copy.Module, x, z);
        adam.ZeroGrad();
        losses.Total.backward();
        adam.Update();

        foreach (var (name, p) in copy.Module.named_parameters())
        {
            Assert.True(p.Same(syncedWeights[name]), $"the optimizer step changed the copy's {name}");
            Assert.Null(p.grad);
        }
        Assert.Contains(f.named_parameters(), kv => !kv.parameter.Same(syncedWeights[kv.name])); // f did move

        copy.Sync(f); // in place: the copy keeps its tensors and takes f's new values
        Assert.Equal(copyTensorsBefore.Select(t => t.Handle), copy.Module.state_dict().Values.Select(t => t.Handle));
        foreach (var (name, value) in f.state_dict())
            Assert.True(value.Same(copy.Module.state_dict()[name]), $"{name} differs after the second sync");
    }

    [Fact]
    public void Sync_matches_f_s_mode_layer_by_layer_so_paused_dropout_is_paused_in_the_copy_too()
    {
        var f = new DcganMnist(baseWidth: 4);
        var copy = new FrozenCopy(f, new DcganMnist(baseWidth: 4));
        bool[] Modes(TorchSharp.torch.nn.Module m) => m.modules().Select(layer => layer.training).ToArray();
        f.train();
        using (DropoutPause.On(f))
        {
            copy.Sync(f);
            Assert.Equal(Modes(f), Modes(copy.Module));
            Assert.All(copy.Module.modules().OfType<TorchSharp.Modules.Dropout2d>(), d => Assert.False(d.training));
            Assert.All(copy.Module.modules().OfType<TorchSharp.Modules.BatchNorm2d>(), n => Assert.True(n.training));
        }
        copy.Sync(f);                                                   // f's dropout back on: the copy's too
        Assert.All(copy.Module.modules(), layer => Assert.True(layer.training));
        f.eval();
        copy.Sync(f);
        Assert.All(copy.Module.modules(), layer => Assert.False(layer.training));
    }

    [Fact]
    public void A_copy_of_another_architecture_is_rejected()
    {
        var f = new DcganMnist(baseWidth: 4);
        Assert.Throws<ArgumentException>(() => new FrozenCopy(f, new AffineScalar(0, 0)));
    }
}
