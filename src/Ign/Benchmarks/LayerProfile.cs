using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Benchmarks;

public sealed record LayerTiming(
    string Layer, string OutputShape,
    double ForwardMs, double BackwardMs,
    double ForwardGflop, double ForwardGflops, double BackwardGflops);

/// <summary>
/// Time of each leaf layer of a network at a batch size, forward and backward (input and weight
/// gradients), in training mode, median of several runs. Each layer gets a fresh copy of its real input
/// (so in-place activations are allowed), and its backward is driven through a sum against a fixed
/// gradient, which adds a small multiply-and-sum to every backward time.
/// </summary>
public static class LayerProfile
{
    public static List<LayerTiming> Measure(Module<Tensor, Tensor> network, int batch, long[] imageShape,
        int repeats = 5)
    {
        using var scope = NewDisposeScope();
        network.train();
        var result = new List<LayerTiming>();
        var x = randn([batch, .. imageShape]);
        var names = new Dictionary<Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in network.named_modules()) names[module] = name;
        foreach (var layer in FlopCounter.Leaves(network))
        {
            Tensor output;
            using (no_grad()) output = layer.forward(x.clone());
            var gradient = randn_like(output);
            double flops = layer switch
            {
                Conv2d conv => 2.0 * conv.weight.numel() * output.shape[2] * output.shape[3] * batch,
                ConvTranspose2d deconv => 2.0 * deconv.weight.numel() * x.shape[2] * x.shape[3] * batch,
                _ => 0,
            };
            var forward = new List<double>();
            var backward = new List<double>();
            for (int r = 0; r < repeats + 1; r++)
            {
                using var step = NewDisposeScope();
                var leaf = x.clone().requires_grad_();
                var input = leaf.clone();
                var clock = Stopwatch.StartNew();
                var y = layer.forward(input);
                double f = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                (y * gradient).sum().backward();
                double b = clock.Elapsed.TotalMilliseconds;
                foreach (var p in layer.parameters()) p.grad?.zero_();
                if (r == 0) continue; // warm-up
                forward.Add(f);
                backward.Add(b);
            }
            double fm = Median(forward), bm = Median(backward);
            result.Add(new LayerTiming(names.GetValueOrDefault(layer, layer.GetName()),
                $"[{string.Join(", ", output.shape)}]", fm, bm, flops / 1e9,
                flops > 0 ? flops / fm / 1e6 : 0, flops > 0 ? 2 * flops / bm / 1e6 : 0));
            x = output;
        }
        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
