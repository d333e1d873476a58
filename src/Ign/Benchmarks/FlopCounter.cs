using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Benchmarks;

/// <summary>
/// Counts the multiply-add FLOPs (2 per MAC) of the convolutions and linear layers in one forward pass
/// per image, by running the network's leaf layers in registration order on a dummy input. Valid for
/// networks whose forward applies their children in that order (all of ours).
/// </summary>
public static class FlopCounter
{
    public static double ForwardFlopsPerImage(Module<Tensor, Tensor> network, long[] imageShape)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool wasTraining = network.training;
        network.eval();
        double flops = 0;
        var x = zeros([1, .. imageShape]);
        foreach (var layer in Leaves(network))
        {
            var y = layer.forward(x);
            flops += layer switch
            {
                Conv2d conv => 2.0 * conv.weight.numel() * y.shape[2] * y.shape[3],
                ConvTranspose2d deconv => 2.0 * deconv.weight.numel() * x.shape[2] * x.shape[3],
                Linear linear => 2.0 * linear.weight.numel(),
                _ => 0,
            };
            x = y;
        }
        network.train(wasTraining);
        return flops;
    }

    /// <summary>
    /// One IGN step per image: four forward passes (f(x), f(z), f'(f(z)), f(f(z)^sg)), three full backward
    /// passes (input and weight gradients, 2× forward each) and one input-only backward through f' (1×).
    /// </summary>
    public static double IgnStepFlopsPerImage(double forwardFlops) => forwardFlops * (4 + 3 * 2 + 1);

    /// <summary>The leaf layers in registration order (the order our networks apply them).</summary>
    public static IEnumerable<Module<Tensor, Tensor>> Leaves(Module module)
    {
        var children = module.children().ToList();
        if (children.Count == 0)
        {
            if (module is Module<Tensor, Tensor> leaf) yield return leaf;
            yield break;
        }
        foreach (var child in children)
            foreach (var leaf in Leaves(child))
                yield return leaf;
    }
}
