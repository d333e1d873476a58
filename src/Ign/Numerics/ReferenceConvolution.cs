namespace Ign.Numerics;

/// <summary>
/// Convolutions in plain managed loops over doubles: the independent reference that libtorch's kernels are checked
/// against (no BLAS, no oneDNN, no JIT, so nothing that reads this CPU's cache sizes or vector width). Arrays are
/// row-major in libtorch's layouts. A transposed convolution is the adjoint of a convolution with the same weight, so
/// its three products are the convolution's three with the roles of input and output swapped.
/// </summary>
public static class ReferenceConvolution
{
    private enum Product { Output, InputGradient, WeightGradient }

    /// <summary>y = conv(x, w), (B, out, Ho, Wo).</summary>
    public static double[] Forward(ConvShape shape, int batch, double[] x, double[] w) =>
        shape.Kind == ConvKind.Convolution
            ? Run(shape, batch, Product.Output, x, w, null)
            : Run(AsConvolution(shape), batch, Product.InputGradient, null, w, x);

    /// <summary>∂L/∂x given ∂L/∂y, (B, in, H, W).</summary>
    public static double[] InputGradient(ConvShape shape, int batch, double[] w, double[] gy) =>
        shape.Kind == ConvKind.Convolution
            ? Run(shape, batch, Product.InputGradient, null, w, gy)
            : Run(AsConvolution(shape), batch, Product.Output, gy, w, null);

    /// <summary>∂L/∂w given x and ∂L/∂y, in the weight's layout.</summary>
    public static double[] WeightGradient(ConvShape shape, int batch, double[] x, double[] gy) =>
        shape.Kind == ConvKind.Convolution
            ? Run(shape, batch, Product.WeightGradient, x, null, gy)
            : Run(AsConvolution(shape), batch, Product.WeightGradient, gy, null, x);

    /// <summary>
    /// The convolution whose adjoint a transposed convolution is: its input is the transposed one's output.
    /// </summary>
    private static ConvShape AsConvolution(ConvShape t) => new(ConvKind.Convolution, t.OutChannels, t.InChannels,
        t.KernelHeight, t.KernelWidth, t.Stride, t.Padding, t.Groups, t.OutputHeight, t.OutputWidth);

    // One loop nest for the three products: every (output pixel, input pixel, weight tap) triple it visits is a term
    // of y = Σ x·w, and each product accumulates its own factor of that term.
    private static double[] Run(ConvShape s, int batch, Product product, double[]? x, double[]? w, double[]? y)
    {
        long inPerGroup = s.InChannels / s.Groups, outPerGroup = s.OutChannels / s.Groups;
        long ho = s.OutputHeight, wo = s.OutputWidth, kh = s.KernelHeight, kw = s.KernelWidth;
        x ??= new double[batch * s.InChannels * s.Height * s.Width];
        w ??= new double[s.WeightShape.Aggregate(1L, (a, b) => a * b)];
        y ??= new double[batch * s.OutChannels * ho * wo];
        for (long b = 0; b < batch; b++)
        for (long o = 0; o < s.OutChannels; o++)
        {
            long group = o / outPerGroup;
            for (long i = 0; i < ho; i++)
            for (long j = 0; j < wo; j++)
            {
                long yi = ((b * s.OutChannels + o) * ho + i) * wo + j;
                double sum = 0;
                for (long c = 0; c < inPerGroup; c++)
                {
                    long channel = group * inPerGroup + c;
                    for (long u = 0; u < kh; u++)
                    {
                        long row = i * s.Stride - s.Padding + u;
                        if (row < 0 || row >= s.Height) continue;
                        for (long v = 0; v < kw; v++)
                        {
                            long col = j * s.Stride - s.Padding + v;
                            if (col < 0 || col >= s.Width) continue;
                            long xi = ((b * s.InChannels + channel) * s.Height + row) * s.Width + col;
                            long wi = ((o * inPerGroup + c) * kh + u) * kw + v;
                            switch (product)
                            {
                                case Product.Output: sum += x[xi] * w[wi]; break;
                                case Product.InputGradient: x[xi] += y[yi] * w[wi]; break;
                                default: w[wi] += y[yi] * x[xi]; break;
                            }
                        }
                    }
                }
                if (product == Product.Output) y[yi] = sum;
            }
        }
        return product switch { Product.Output => y, Product.InputGradient => x, _ => w };
    }
}
