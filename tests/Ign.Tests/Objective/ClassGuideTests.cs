using Ign.Objective;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Tests.Objective;

/// <summary>A two-class "classifier" of (B, 1, 2, 3) images: logits (a·m, −a·m), m each image's pixel mean.</summary>
internal sealed class MeanSignClassifier(double a) : Module<Tensor, Tensor>(nameof(MeanSignClassifier))
{
    public override Tensor forward(Tensor v)
    {
        var m = v.flatten(1).mean([1L]) * a;   // (B)
        return stack([m, -m], 1);              // (B, 2)
    }
}

/// <summary>
/// λ_g against a hand computation: the cross-entropy of a fixed classifier on f(z | y_z) against y_z, over the rows of
/// z with a class, the null class's rows left out; its gradient (a central difference) reaches f's weights and the
/// rows' class offsets, never the null class's.
/// </summary>
public class ClassGuideTests
{
    private const double W0 = 0.7, B0 = 0.1, A = 3;
    private static readonly double[] E0 = [0.3, -0.4, 0.05];
    private static readonly long[] ClassesOfX = [0, 1, 2, 1], ClassesOfZ = [1, 2, 0, 0]; // 2 = the null class
    private readonly double[][] zs;

    public ClassGuideTests()
    {
        var random = new Random(5);
        zs = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 3 - 1.5)
            .ToArray()).ToArray();
    }

    private static readonly ObjectiveConfig GuideOnly = new()
    {
        LambdaRec = 0, LambdaIdem = 0, LambdaTight = 0, LambdaClassGuide = 1, Clamp = TightnessClamp.None,
    };

    /// <param name="theta">(w, b, e0, e1, e_null)</param>
    /// <param name="rows">the rows of z the mean is over</param>
    private double Reference(double[] theta, IEnumerable<int> rows, Func<int, long> classOf) => rows.Select(i =>
    {
        double m = A * zs[i].Select(v => theta[0] * v + theta[1] + theta[2 + ClassesOfZ[i]]).Average();
        double[] logits = [m, -m];
        double logSum = Math.Log(Math.Exp(logits[0]) + Math.Exp(logits[1]));
        return logSum - logits[classOf(i)];
    }).Average();

    private static readonly int[] ClassedRows = [0, 2, 3];

    [Fact]
    public void The_guide_term_is_the_cross_entropy_over_the_rows_with_a_class_and_trains_only_their_offsets()
    {
        var f = new ConditionalAffine(W0, B0, E0);
        var copy = new FrozenCopy(f, new ConditionalAffine(0, 0, [0, 0, 0]));
        var x = zeros(4, 1, 2, 3, float64);
        var z = tensor(zs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var labels = new ClassLabels(tensor(ClassesOfX), tensor(ClassesOfZ));

        var losses = new IgnObjective(GuideOnly).Compute(f, copy.Module, x, z, labels: labels,
            classGuide: new MeanSignClassifier(A));
        losses.Total.backward();

        double[] at = [W0, B0, .. E0];
        double expected = Reference(at, ClassedRows, i => ClassesOfZ[i]);
        Assert.Equal(expected, losses[LossTerms.ClassGuide]!.item<double>(), 1e-9);
        Assert.Equal(expected, losses.Total.item<double>(), 1e-9);
        // the test can tell: the null row counted as class 0 gives another value
        Assert.True(Math.Abs(Reference(at, [0, 1, 2, 3], i => i == 1 ? 0 : ClassesOfZ[i]) - expected) > 1e-3);

        const double h = 1e-6;
        double[] autograd = [f.w.grad!.item<double>(), f.b.grad!.item<double>(), .. f.e.grad!.data<double>().ToArray()];
        for (int p = 0; p < at.Length; p++)
        {
            double[] up = [.. at], down = [.. at];
            up[p] += h;
            down[p] -= h;
            double numeric = (Reference(up, ClassedRows, i => ClassesOfZ[i])
                              - Reference(down, ClassedRows, i => ClassesOfZ[i])) / (2 * h);
            Assert.Equal(numeric, autograd[p], 1e-5);
        }
        Assert.Equal(0, autograd[4]);               // the null class's offset: no gradient
        Assert.NotEqual(0, autograd[2]);            // classes 0 and 1: some
        Assert.NotEqual(0, autograd[3]);
        Assert.Null(f.Labels);
    }

    [Fact]
    public void Rows_all_of_the_null_class_give_a_zero_term_and_the_term_needs_a_classifier()
    {
        var f = new ConditionalAffine(W0, B0, E0);
        var copy = new FrozenCopy(f, new ConditionalAffine(0, 0, [0, 0, 0]));
        var z = tensor(zs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var allNull = new ClassLabels(tensor(new long[] { 2, 2, 2, 2 }), tensor(new long[] { 2, 2, 2, 2 }));
        var losses = new IgnObjective(GuideOnly).Compute(f, copy.Module, z, z, labels: allNull,
            classGuide: new MeanSignClassifier(A));
        Assert.Equal(0, losses[LossTerms.ClassGuide]!.item<double>());
        Assert.Throws<ArgumentException>(() => new IgnObjective(GuideOnly).Compute(f, copy.Module, z, z,
            labels: allNull));
    }
}
