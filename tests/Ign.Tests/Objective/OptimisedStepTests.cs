using Ign.Models;
using Ign.Objective;
using static TorchSharp.torch;

namespace Ign.Tests.Objective;

/// <summary>Speed must never change the method: the optimised forward gives the plain step's losses and gradients.</summary>
public class OptimisedStepTests
{
    private static (float[] Losses, Dictionary<string, Tensor> Grads) Step(bool optimised, Dictionary<string, Tensor> weights)
    {
        var f = new DcganMnist(baseWidth: 8) { PointLayersAsMatmul = optimised };
        var twin = new DcganMnist(baseWidth: 8) { PointLayersAsMatmul = optimised };
        using (no_grad()) foreach (var (name, p) in f.state_dict()) p.copy_(weights[name]);
        var copy = new FrozenCopy(f, twin);
        manual_seed(21);
        var x = rand(16, 1, 28, 28) * 2 - 1;
        var z = randn(16, 1, 28, 28);
        f.train();
        copy.Sync(f);
        var losses = new IgnObjective(ObjectiveConfig.Paper).Compute(f, copy.Module, x, z); // dropout masks drawn in the same order
        losses.Total.backward();
        return ([losses.Total.item<float>(), losses.Reconstruction.item<float>(), losses.Idempotence.item<float>(), losses.Tightness.item<float>()],
                f.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.grad!.clone()));
    }

    [Fact]
    public void Matmul_point_layers_give_the_plain_losses_and_gradients()
    {
        manual_seed(20);
        var weights = new DcganMnist(baseWidth: 8).state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var (plainLosses, plainGrads) = Step(optimised: false, weights);
        var (fastLosses, fastGrads) = Step(optimised: true, weights);
        for (int i = 0; i < 4; i++) Assert.Equal(plainLosses[i], fastLosses[i], 5);
        foreach (var (name, g) in plainGrads)
            // float32 summation order differs; a wrong layout would differ by the gradient's own size
            Assert.True((g - fastGrads[name]).abs().max().item<float>() <= 1e-4 * g.abs().max().item<float>(), $"gradient of {name} differs: max diff {(g - fastGrads[name]).abs().max().item<float>()}, max value {g.abs().max().item<float>()}");
    }
}
