using Ign.Data;
using Ign.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Training;

/// <summary>
/// A classifier no high-frequency pattern can fool: logits −D²(x, μ_k)/τ, μ_k the pixel mean of class k's
/// training images and D² a mean of squared pixel differences (nearest class mean). As λ_g's guide it pulls each
/// f(z | y) toward its class's mean image and away from the others', in pixels (a thick blob satisfies it too:
/// docs/quality.md section 30).
/// </summary>
public sealed class ClassMeanClassifier : Module<Tensor, Tensor>
{
    /// <summary>τ: D² of MNIST's class means from one another is about 0.1, so logits differ by about ten.</summary>
    public const double Temperature = 0.01;
    private readonly Tensor means;   // (K, C·H·W), no gradient

    public ClassMeanClassifier(ImageDataset data, int classes, Device device) : base(nameof(ClassMeanClassifier))
    {
        var labels = data.Labels ?? throw new ArgumentException($"{data.Name}: class means need labels");
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var sums = zeros(classes, data.PixelsPerImage, float64);                                // (K, C·H·W)
        var counts = new long[classes];
        const int chunk = 4096;
        for (int start = 0; start < data.Count; start += chunk)
        {
            var indices = Enumerable.Range(start, Math.Min(chunk, data.Count - start)).ToArray();
            var images = data.Batch(indices).flatten(1).to(float64);                            // (n, C·H·W)
            var y = tensor(indices.Select(i => (long)labels[i]).ToArray());                      // (n)
            sums.index_add_(0, y, images, scalars.Of(1));
            foreach (int i in indices) counts[labels[i]]++;
        }
        if (counts.Any(c => c == 0)) throw new ArgumentException($"{data.Name}: a class without images");
        means = (sums / tensor(counts, float64).unsqueeze(1)).to(float32).to(device).DetachFromDisposeScope();
    }

    public override Tensor forward(Tensor x) // (B, C, H, W) -> (B, K)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var flat = x.flatten(1);                                                                // (B, C·H·W)
        var squared = flat.square().sum(1, keepdim: true) - flat.matmul(means.t()).mul(scalars.Of(2))
                      + means.square().sum(1).unsqueeze(0);                          // (B, K), Σ (x − μ)²
        return squared.div(scalars.Of(-Temperature * flat.shape[1])).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) means.Dispose();
        base.Dispose(disposing);
    }
}
