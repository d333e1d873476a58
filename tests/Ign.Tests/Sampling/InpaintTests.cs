using Ign.Corruptions;
using Ign.Normalization;
using Ign.Sampling;
using static TorchSharp.torch;

namespace Ign.Tests.Sampling;

public class InpaintTests
{
    [Fact]
    public void An_occlusion_knows_exactly_the_pixels_it_left()
    {
        var x = rand(4, 1, 28, 28, dtype: float64) * 2 - 1;
        var occlusion = new Occlusion(10, 1);

        var (corrupted, known) = occlusion.ApplyWithMask(x, new Generator(3));

        Assert.True(corrupted.Same(occlusion.Apply(x, new Generator(3))));         // the same draws as Apply
        Assert.Equal([4L, 1, 28, 28], known.shape);
        Assert.Equal(4 * 100, (1 - known).sum().item<double>());                      // a 10×10 hole per image
        Assert.True((corrupted * known).Same(x * known));                             // untouched where known
        Assert.True((corrupted * (1 - known)).Same((1 - known)));                     // the fill (1) in the hole
    }

    [Fact]
    public void Inpainting_keeps_the_known_pixels_and_lets_f_fill_the_rest_from_the_known_mean()
    {
        using var f = new AffineScalar(0.5, 0.25);                                      // f(v) = v/2 + 1/4
        var image = tensor(new[] { 0.2, -0.6, 1.0, 1.0 }, float64).reshape(1, 1, 2, 2);
        var known = tensor(new[] { 1.0, 1.0, 0.0, 0.0 }, float64).reshape(1, 1, 2, 2);

        var outputs = Sampler.Inpaint(f, image, known, HoleFit.None, [1, 2], NormMode.Running);

        // y0 = (0.2, -0.6, μ, μ) with μ = -0.2, the mean of the known pixels; y_k keeps the first two
        double y1 = 0.5 * -0.2 + 0.25, y2 = 0.5 * y1 + 0.25;
        Assert.Equal([0.2, -0.6, y1, y1], outputs[0].data<double>().ToArray(), new DoubleTolerance());
        Assert.Equal([0.2, -0.6, y2, y2], outputs[1].data<double>().ToArray(), new DoubleTolerance());
    }

    [Fact]
    public void The_hole_fit_fills_the_hole_so_that_f_keeps_the_known_pixels()
    {
        // f(v) = mean(v) + 1/2 everywhere: what f makes of the known pixels depends on the hole
        using var f = new MeanPlusBias(0.5);
        var image = tensor(new[] { 0.2, -0.6, 1.0, 1.0 }, float64).reshape(1, 1, 2, 2);
        var known = tensor(new[] { 1.0, 1.0, 0.0, 0.0 }, float64).reshape(1, 1, 2, 2);

        var plain = Sampler.Inpaint(f, image, known, HoleFit.None, [1], NormMode.Running)[0];
        var fitted = Sampler.Inpaint(f, image, known, new HoleFit(Iterations: 2000, LearningRate: 0.01), [1],
            NormMode.Running)[0];

        // the plain loop fills f(y0) = μ + 1/2 = 0.3, μ = -0.2 the known mean. The fit moves the hole until f's output
        // is the best constant for the known pixels, their mean -0.2 (hole pixels at -1.2 each), and f fills that
        Assert.Equal([0.2, -0.6, 0.3, 0.3], plain.data<double>().ToArray(), new DoubleTolerance());
        Assert.Equal([0.2, -0.6], fitted.flatten()[..2].data<double>().ToArray());        // kept bit for bit
        Assert.Equal(-0.2, fitted.flatten()[2].item<double>(), 2e-3);
        Assert.Equal(-0.2, fitted.flatten()[3].item<double>(), 2e-3);
        Assert.True(f.bias.grad is null || f.bias.grad.abs().max().item<double>() == 0); // f itself gets no gradient
        Assert.Equal(0.5, f.bias.item<double>());
    }

    [Theory]
    [InlineData("inpaint occlude:size=10", true)]
    [InlineData("occlude:size=10", false)]
    public void A_projection_spec_says_whether_it_inpaints(string text, bool inpaint)
    {
        var spec = ProjectionSpec.Parse(text);
        Assert.Equal(inpaint, spec.Inpaint);
        Assert.Equal(text.Replace("size=10", "size=10,fill=1,x=-1,y=-1"), spec.Spec);
    }

    [Fact]
    public void Inpainting_refuses_a_corruption_that_does_not_know_its_pixels() =>
        Assert.Contains("inpainting needs a corruption that knows its pixels",
            Assert.Throws<ArgumentException>(() => ProjectionSpec.Parse("inpaint noise:0.3")).Message);

    /// <summary>f(v) = mean(v) + bias at every pixel.</summary>
    private sealed class MeanPlusBias : TorchSharp.torch.nn.Module<Tensor, Tensor>
    {
        public readonly TorchSharp.Modules.Parameter bias;

        public MeanPlusBias(double b) : base(nameof(MeanPlusBias))
        {
            bias = TorchSharp.torch.nn.Parameter(tensor(b, float64));
            RegisterComponents();
        }

        public override Tensor forward(Tensor v) => v.mean([1L, 2L, 3L], keepdim: true).expand_as(v) + bias;
    }

    private sealed class DoubleTolerance : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-12;
        public int GetHashCode(double value) => 0;
    }
}
