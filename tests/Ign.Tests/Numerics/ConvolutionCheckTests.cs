using Ign.Numerics;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ign.Tests.Numerics;

public class ConvolutionCheckTests
{
    public static TheoryData<ConvShape> Shapes() =>
    [
        new(ConvKind.Convolution, 3, 5, 3, 3, 1, 0, 1, 6, 7),
        new(ConvKind.Convolution, 4, 6, 4, 4, 2, 1, 2, 9, 8),    // groups, stride, padding, an odd size
        new(ConvKind.Convolution, 2, 2, 1, 5, 1, 0, 2, 4, 9),    // depthwise 1×5, as the blur's
        new(ConvKind.Transposed, 8, 4, 3, 3, 1, 0, 1, 5, 5),     // the width-4 decoder's deconv3
        new(ConvKind.Transposed, 4, 6, 4, 4, 2, 1, 2, 3, 4),
    ];

    [Theory, MemberData(nameof(Shapes))]
    public void The_managed_reference_agrees_with_libtorch_in_float64(ConvShape shape)
    {
        // float64 convolutions take libtorch's plain im2col path (oneDNN has no float64): an independent second opinion
        const int batch = 2;
        var random = new Random(3);
        double[] Draw(long[] dims) => Enumerable.Range(0, (int)dims.Aggregate(1L, (a, b) => a * b)).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] x = Draw(shape.InputShape(batch)), w = Draw(shape.WeightShape), gy = Draw(shape.OutputShape(batch));

        using var scope = NewDisposeScope();
        var xt = tensor(x, shape.InputShape(batch), float64).requires_grad_();
        var wt = tensor(w, shape.WeightShape, float64).requires_grad_();
        long[] stride = [shape.Stride, shape.Stride], padding = [shape.Padding, shape.Padding];
        var y = shape.Kind == ConvKind.Convolution
            ? F.conv2d(xt, wt, strides: stride, padding: padding, groups: shape.Groups)
            : F.conv_transpose2d(xt, wt, strides: stride, padding: padding, groups: shape.Groups);
        Assert.Equal(shape.OutputShape(batch), y.shape);
        y.backward([tensor(gy, shape.OutputShape(batch), float64)]);

        AssertClose(y.data<double>().ToArray(), ReferenceConvolution.Forward(shape, batch, x, w));
        AssertClose(xt.grad!.data<double>().ToArray(), ReferenceConvolution.InputGradient(shape, batch, w, gy));
        AssertClose(wt.grad!.data<double>().ToArray(), ReferenceConvolution.WeightGradient(shape, batch, x, gy));
    }

    [Theory, MemberData(nameof(Shapes))]
    public void The_unfold_path_passes_the_check(ConvShape shape) =>
        AssertRightToRounding(ConvolutionCheck.Run(shape, ConvPath.Unfold));

    [Fact]
    public void The_check_catches_a_kernel_that_reads_memory_it_never_wrote()
    {
        // The oneDNN defect in miniature: the right sum plus 0 × uninitialised memory. Poisoning makes that memory NaN.
        var shape = new ConvShape(ConvKind.Convolution, 4, 4, 3, 3, 1, 0, 1, 5, 5);
        var result = ConvolutionCheck.Run(shape, (x, w) =>
        {
            var y = UnfoldConvolution.Apply(shape, x, w, null);
            return y + empty_like(y) * 0;
        });
        Assert.False(result.Passed);
        Assert.Equal(double.PositiveInfinity, result.OutputError);
    }

    [Fact]
    public void The_check_catches_a_wrong_gradient_behind_a_right_forward()
    {
        var shape = new ConvShape(ConvKind.Transposed, 8, 4, 3, 3, 1, 0, 1, 5, 5);
        var result = ConvolutionCheck.Run(shape, (x, w) => UnfoldConvolution.Apply(shape, x.detach(), w, null)
            + (UnfoldConvolution.Apply(shape, x, w.detach(), null) * 1.001 - UnfoldConvolution.Apply(shape, x.detach(), w.detach(), null) * 1.001));
        Assert.False(result.Passed);
        Assert.True(result.OutputError < 1e-5, $"forward error {result.OutputError:G3}");
        Assert.True(result.InputGradientError > ConvolutionCheck.Tolerance, $"input gradient error {result.InputGradientError:G3}");
        Assert.True(result.WeightGradientError < 1e-5);
    }

    [Fact]
    public void On_the_Zen5_kind_libtorch_fails_a_known_bad_shape_and_the_chosen_path_is_right()
    {
        // conv 48→16 k4 s2 p1 on 14×14: oneDNN's input gradient is off by O(1) on the AMD EPYC of family 26
        // (AVX-512, hidden cache sizes) every time, poisoned or not. Elsewhere it may be right: then only the choice is
        // tested.
        var shape = new ConvShape(ConvKind.Convolution, 48, 16, 4, 4, 2, 1, 1, 14, 14);
        var libtorch = ConvolutionCheck.Run(shape, ConvPath.Libtorch);
        if (OnTheZen5Kind()) Assert.False(libtorch.Passed, $"expected the oneDNN defect on {CpuDescription.Model}");
        var (path, results) = ConvolutionCheck.Choose(shape);
        Assert.NotNull(path);
        Assert.True(results[^1].Passed);
        Assert.Equal(results[0].Passed, path == ConvPath.Libtorch); // libtorch kept exactly when its own check passed
    }

    public static TheoryData<ConvShape> PaddableShapes() =>
    [
        new(ConvKind.Convolution, 24, 40, 3, 3, 1, 1, 1, 6, 6),  // both counts padded (to 32 and 64)
        new(ConvKind.Convolution, 40, 3, 4, 4, 2, 1, 1, 8, 8),   // an image's 3 channels out
        new(ConvKind.Transposed, 40, 24, 4, 4, 2, 1, 1, 4, 4),
        new(ConvKind.Transposed, 20, 32, 3, 3, 1, 0, 1, 5, 5),   // the input alone padded
        new(ConvKind.Convolution, 32, 20, 3, 3, 1, 1, 1, 5, 5),  // the output alone padded (the input passed as it is)
    ];

    [Theory, MemberData(nameof(PaddableShapes))]
    public void The_padded_path_passes_the_check(ConvShape shape) =>
        AssertRightToRounding(ConvolutionCheck.Run(shape, ConvPath.Padded));

    [Fact]
    public void The_padded_path_keeps_the_bias_and_cuts_the_padded_outputs()
    {
        var shape = new ConvShape(ConvKind.Transposed, 20, 24, 4, 4, 2, 1, 1, 3, 3);
        using var scope = NewDisposeScope();
        var x = randn(2, 20, 3, 3);
        var weight = randn(20, 24, 4, 4);
        var bias = randn(24);
        var padded = PaddedConvolution.Apply(shape, x, weight, bias);
        var unfold = UnfoldConvolution.Apply(shape, x, weight, bias);
        Assert.Equal(shape.OutputShape(2), padded.shape);
        Assert.True((padded - unfold).abs().max().item<float>() < 1e-4f);
    }

    [Fact]
    public void Padding_is_tried_only_where_it_costs_at_most_twice_the_work()
    {
        static ConvShape Conv(long input, long output, long groups = 1) =>
            new(ConvKind.Convolution, input, output, 4, 4, 2, 1, groups, 32, 32);
        Assert.True(PaddedConvolution.Applies(Conv(40, 80)));      // 64·96 / 40·80 = 1.92
        Assert.True(PaddedConvolution.Applies(Conv(80, 160)));     // 96·160 / 80·160 = 1.2
        Assert.False(PaddedConvolution.Applies(Conv(1, 8)));       // 32·32 / 8 = 128: unfold is cheaper
        Assert.False(PaddedConvolution.Applies(Conv(64, 128)));    // nothing to pad
        Assert.False(PaddedConvolution.Applies(Conv(40, 80, 2)));  // grouped
        var (path, results) = ConvolutionCheck.Choose(Conv(1, 8) with { Height = 6, Width = 6 }, repetitions: 1);
        Assert.DoesNotContain(results, r => r.Path == ConvPath.Padded);
        Assert.NotNull(path);
    }

    [Fact]
    public void On_the_Zen5_kind_the_padded_path_rescues_a_wrong_shape_of_width_40()
    {
        // dcgan64 width 40's conv 40→80 on 32×32: oneDNN's output is NaN on the Zen 5 VMs (docs/numerics.md), and the
        // same problem padded to 64→96 channels is right. Elsewhere libtorch may be right: then it must be kept.
        var shape = new ConvShape(ConvKind.Convolution, 40, 80, 4, 4, 2, 1, 1, 32, 32);
        var (path, results) = ConvolutionCheck.Choose(shape, repetitions: 2);
        if (OnTheZen5Kind()) Assert.Equal(ConvPath.Padded, path);
        Assert.NotNull(path);
        Assert.True(results[^1].Passed);
        Assert.Equal(results[0].Passed, path == ConvPath.Libtorch);
    }

    /// <summary>The AMD EPYC of family 26 (AVX-512) with hidden cache sizes, as on the VMs the defect was seen on.</summary>
    private static bool OnTheZen5Kind() =>
        CpuDescription.HasAvx512 && CpuDescription.Model.Contains("family 26") && CpuDescription.IsaCap is null
        && !Directory.Exists("/sys/devices/system/cpu/cpu0/cache/index0");

    private static void AssertRightToRounding(ConvCheckResult result)
    {
        Assert.True(result.Passed, $"{result.Shape}: worst relative error {result.WorstError:G3}");
        Assert.True(result.WorstError < 1e-5, $"{result.Shape}: {result.WorstError:G3} is more than float32 rounding");
    }

    private static void AssertClose(double[] actual, double[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++) Assert.True(Math.Abs(actual[i] - expected[i]) < 1e-10, $"element {i}: {actual[i]} vs {expected[i]}");
    }
}
