using Ign.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Tests;

/// <summary>f(v) = w·v + b with two scalar parameters, in double precision: small enough to differentiate by hand.</summary>
public sealed class AffineScalar : Module<Tensor, Tensor>
{
    public readonly TorchSharp.Modules.Parameter w, b;

    public AffineScalar(double w0, double b0) : base(nameof(AffineScalar))
    {
        w = Parameter(tensor(w0, float64));
        b = Parameter(tensor(b0, float64));
        RegisterComponents();
    }

    public override Tensor forward(Tensor v) => v * w + b;
}

public static class TestData
{
    /// <summary>n random 28×28 grey images with labels, from a fixed seed.</summary>
    public static ImageDataset RandomImages(int n = 64, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[n * 28 * 28];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray();
        return new ImageDataset("random", pixels, n, 1, 28, 28, labels);
    }

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ign-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

public static class TensorAssertions
{
    /// <summary>Same shape and bitwise-equal values.</summary>
    public static bool Same(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
