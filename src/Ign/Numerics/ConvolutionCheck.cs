using Ign.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ign.Numerics;

/// <summary>How a convolution is computed, in the order the guard tries them: libtorch's own kernel (oneDNN on x86
/// CPUs), libtorch's kernel on channels padded to a multiple of 32 (<see cref="PaddedConvolution"/>), our unfold +
/// matmul in float32, or the same in float64 when even that is wrong.</summary>
public enum ConvPath { Libtorch, Padded, Unfold, UnfoldDouble }

public static class ConvPaths
{
    /// <summary>What the user reads about a path: "libtorch", "padded", "unfold" or "unfold f64" (tables).</summary>
    public static string Short(this ConvPath path) => path switch
    {
        ConvPath.Libtorch => "libtorch", ConvPath.Padded => "padded", ConvPath.Unfold => "unfold", _ => "unfold f64",
    };

    /// <summary>The same in words, for messages.</summary>
    public static string Describe(this ConvPath path) => path switch
    {
        ConvPath.Libtorch => "libtorch's kernel",
        ConvPath.Padded => $"libtorch's kernel on channels padded to a multiple of {PaddedConvolution.Block}",
        ConvPath.Unfold => "unfold + matmul",
        _ => "unfold + matmul in float64",
    };

    /// <summary>"2 padded, 1 unfold": how many of the shapes take each detour.</summary>
    public static string CountDetours(IEnumerable<ConvPath> paths) => string.Join(", ",
        paths.Where(p => p != ConvPath.Libtorch).GroupBy(p => p).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.Short()}"));
}

/// <summary>
/// The largest error of one path on one shape, relative to the reference's largest magnitude, per product.
/// </summary>
public sealed record ConvCheckResult(ConvShape Shape, ConvPath? Path, double OutputError, double InputGradientError,
    double WeightGradientError, int Failures, int Runs)
{
    public bool Passed => Failures == 0;
    public double WorstError => Math.Max(OutputError, Math.Max(InputGradientError, WeightGradientError));
}

/// <summary>
/// Checks a path's forward, input gradient and weight gradient on one shape against <see cref="ReferenceConvolution"/>.
/// Wrong kernels read memory they never wrote, so every run first fills freed memory with NaN (allocating and
/// releasing NaN tensors of the sizes the kernel will ask for) and repeats: a kernel that reads stale lanes then
/// shows NaN or an error of order one, where a correct one stays within float32 rounding. Draws its numbers from
/// its own seeded generator, never from torch's, so checking does not change a run's random stream.
/// </summary>
public static class ConvolutionCheck
{
    /// <summary>Largest error a correct float32 kernel shows here, relative to the largest reference value
    /// (float32 rounding over sums of thousands of terms stays under 1e-5; the wrong kernels give 1e-1 and
    /// more).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Raised whenever the check gets stricter, so that verdicts cached by a weaker one are not reused.
    /// </summary>
    public const int Version = 5; // 5: the padded path is tried before unfold

    /// <summary>Batch sizes checked: one image alone takes other kernels than several do.</summary>
    public static readonly int[] Batches = [1, 5];

    public static ConvCheckResult Run(ConvShape shape, ConvPath path, int repetitions = 4, int seed = 0) =>
        Run(shape, (x, w) => Apply(shape, path, x, w), path, repetitions, seed);

    /// <summary>
    /// Checks any kernel y = k(x, w) on the shape (a null path in the result): how tests show what the check catches.
    /// </summary>
    public static ConvCheckResult Run(ConvShape shape, Func<Tensor, Tensor, Tensor> kernel, ConvPath? path = null,
        int repetitions = 4, int seed = 0)
    {
        double outputError = 0, inputError = 0, weightError = 0;
        int failures = 0, runs = 0;
        foreach (int batch in Batches)
        {
            var random = new Random(seed + batch);
            double[] x = Draw(random, shape.InputShape(batch), 1);
            double[] w = Draw(random, shape.WeightShape,
                1 / Math.Sqrt(shape.InChannels / shape.Groups * shape.KernelHeight * shape.KernelWidth));
            double[] gy = Draw(random, shape.OutputShape(batch), 1);
            double[] y = ReferenceConvolution.Forward(shape, batch, x, w);
            double[] gx = ReferenceConvolution.InputGradient(shape, batch, w, gy);
            double[] gw = ReferenceConvolution.WeightGradient(shape, batch, x, gy);
            for (int r = 0; r < repetitions; r++)
            {
                (double[], double[], double[]) Measure() => Compute(shape, kernel, batch, x, w, gy);
                var (py, pgx, pgw) = MeasureOnNaNFilledMemory(shape, batch, Measure);
                double e1 = RelativeError(py, y), e2 = RelativeError(pgx, gx), e3 = RelativeError(pgw, gw);
                (outputError, inputError, weightError) =
                    (Math.Max(outputError, e1), Math.Max(inputError, e2), Math.Max(weightError, e3));
                runs++;
                if (Math.Max(e1, Math.Max(e2, e3)) > Tolerance) failures++;
            }
        }
        return new ConvCheckResult(shape, path, outputError, inputError, weightError, failures, runs);
    }

    /// <summary>
    /// The first path that passes on this shape, with every result tried (the reason for the choice).
    /// </summary>
    public static (ConvPath? Path, IReadOnlyList<ConvCheckResult> Results) Choose(ConvShape shape, int repetitions = 4)
    {
        var results = new List<ConvCheckResult>();
        foreach (var path in Enum.GetValues<ConvPath>())
        {
            if (path == ConvPath.Padded && !PaddedConvolution.Applies(shape)) continue;
            var result = Run(shape, path, repetitions);
            results.Add(result);
            if (result.Passed) return (path, results);
        }
        return (null, results);
    }

    /// <summary>
    /// Runs <paramref name="measure"/> with every new malloc block NaN-filled (glibc's M_PERTURB), which exposes a
    /// stale read whatever the heap held; without glibc, NaN is left in freed blocks of the kernel's sizes instead
    /// (a first version that relied on this alone missed deconv 8→4 in one fresh test host).
    /// </summary>
    private static T MeasureOnNaNFilledMemory<T>(ConvShape shape, int batch, Func<T> measure)
    {
        using var filled = MallocTuning.FillNewBlocksWithNaN();
        if (filled is null) Poison(shape, batch);
        return measure();
    }

    /// <summary>
    /// Runs the path forward and backward from leaf tensors: (y, ∂L/∂x, ∂L/∂w) for L = Σ y·gy.
    /// </summary>
    private static (double[] Y, double[] InputGradient, double[] WeightGradient) Compute(
        ConvShape shape, Func<Tensor, Tensor, Tensor> kernel, int batch, double[] x, double[] w, double[] gy)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var xt = tensor(x.Select(v => (float)v).ToArray(), shape.InputShape(batch)).requires_grad_();
        var wt = tensor(w.Select(v => (float)v).ToArray(), shape.WeightShape).requires_grad_();
        var gt = tensor(gy.Select(v => (float)v).ToArray(), shape.OutputShape(batch));
        var yt = kernel(xt, wt);
        yt.backward([gt]);
        return (ToDoubles(yt), ToDoubles(xt.grad!), ToDoubles(wt.grad!));
    }

    /// <summary>y for x and weight along a path; the seam <see cref="ConvolutionGuard"/> routes through.</summary>
    public static Tensor Apply(ConvShape shape, ConvPath path, Tensor x, Tensor weight, Tensor? bias = null)
    {
        long[] stride = [shape.Stride, shape.Stride], padding = [shape.Padding, shape.Padding];
#pragma warning disable RS0030 // the seam itself: the one place libtorch's convolutions are called
        switch (path)
        {
            case ConvPath.Libtorch when shape.Kind == ConvKind.Convolution:
                return F.conv2d(x, weight, bias, strides: stride, padding: padding, groups: shape.Groups);
            case ConvPath.Libtorch:
                return F.conv_transpose2d(x, weight, bias, strides: stride, padding: padding, groups: shape.Groups);
#pragma warning restore RS0030
            case ConvPath.Padded:
                return PaddedConvolution.Apply(shape, x, weight, bias);
            case ConvPath.Unfold:
                return UnfoldConvolution.Apply(shape, x, weight, bias);
            default:
                using (var scope = NewDisposeScope())
                {
                    var y = UnfoldConvolution.Apply(shape, x.to(float64), weight.to(float64), bias?.to(float64));
                    return y.to(x.dtype).MoveToOuterDisposeScope();
                }
        }
    }

    /// <summary>
    /// Leaves NaN in the memory the next allocations will get: NaN tensors of each size the kernel's buffers can
    /// have (input, output and weight, plain and with channels padded to blocks of 8 and 16, as oneDNN's AVX2 and
    /// AVX-512 layouts pad them), all released together so that the allocator hands those blocks out next.
    /// </summary>
    private static void Poison(ConvShape shape, int batch)
    {
        using var scope = NewDisposeScope();
        static long Up(long channels, long block) => (channels + block - 1) / block * block;
        var sizes = new HashSet<long>();
        foreach (long block in new long[] { 1, 8, 16 })
        {
            long input = Up(shape.InChannels, block), output = Up(shape.OutChannels, block);
            sizes.Add(batch * input * shape.Height * shape.Width);
            sizes.Add(batch * output * shape.OutputHeight * shape.OutputWidth);
            sizes.Add(input * output * shape.KernelHeight * shape.KernelWidth);
        }
        using var scalars = new Runtime.HeldScalars();
        var nan = scalars.Of(double.NaN);
        // several blocks of each size (up to 16 MiB a size): allocations made before the kernel's take some of them
        var held = sizes.SelectMany(size => Enumerable.Range(0, (int)Math.Clamp((16L << 20) / (4 * size), 2, 8))
            .Select(_ => full([size], nan))).ToList();
        foreach (var tensor in held) tensor.Dispose();
    }

    private static double[] Draw(Random random, long[] shape, double scale)
    {
        var values = new double[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (random.NextDouble() * 2 - 1) * scale;
        return values;
    }

    private static double[] ToDoubles(Tensor t) => t.detach().to(float64).contiguous().data<double>().ToArray();

    /// <summary>max |a − r| / max |r|; infinite where a holds NaN or ±∞.</summary>
    private static double RelativeError(double[] actual, double[] reference)
    {
        double scale = 1e-30, error = 0;
        foreach (double r in reference) scale = Math.Max(scale, Math.Abs(r));
        for (int i = 0; i < actual.Length; i++)
        {
            if (!double.IsFinite(actual[i])) return double.PositiveInfinity;
            error = Math.Max(error, Math.Abs(actual[i] - reference[i]));
        }
        return error / scale;
    }
}
