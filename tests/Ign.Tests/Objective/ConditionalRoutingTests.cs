using Ign.Models;
using Ign.Objective;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Tests.Objective;

/// <summary>f(v | y) = w·v + b + e_y with one offset per class and one for the null class (index 2).</summary>
public sealed class ConditionalAffine : Module<Tensor, Tensor>, IClassConditional
{
    public readonly TorchSharp.Modules.Parameter w, b, e;

    public ConditionalAffine(double w0, double b0, double[] e0) : base(nameof(ConditionalAffine))
    {
        w = Parameter(tensor(w0, float64));
        b = Parameter(tensor(b0, float64));
        e = Parameter(tensor(e0, float64));
        RegisterComponents();
    }

    public int Classes => 2;
    public Tensor? Labels { get; set; }

    public override Tensor forward(Tensor v) // (B, 1, 2, 3)
    {
        var y = Labels ?? full(v.shape[0], Classes, dtype: ScalarType.Int64);          // (B)
        return v * w + b + e.index_select(0, y).view(-1, 1, 1, 1);
    }
}

/// <summary>
/// The conditional objective against a reference written out by hand: f(x | y_x) for reconstruction, and z's class
/// y_z in every application on the z path, the frozen copy's included. The gradient is a central difference in
/// (w, b, e_0, e_1, e_null); a routing that gave f' the null class, or f(z) x's classes, would not match it.
/// </summary>
public class ConditionalRoutingTests
{
    private const double W0 = 0.7, B0 = 0.1;
    private static readonly double[] E0 = [0.3, -0.4, 0.05];
    private static readonly long[] ClassesOfX = [0, 1, 2, 1], ClassesOfZ = [1, 2, 0, 0]; // 2 = the null class
    private readonly double[][] xs, zs;

    public ConditionalRoutingTests()
    {
        var random = new Random(11);
        xs = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        zs = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 3 - 1.5).ToArray()).ToArray();
    }

    private static double MeanAbs(IEnumerable<double> d) => d.Select(Math.Abs).Average();

    /// <param name="theta">(w, b, e0, e1, e_null) live; the frozen copy has (W0, B0, E0)</param>
    /// <param name="frozenClassOfZ">the class the frozen copy is given on the z path (the right one: y_z)</param>
    private double Reference(ObjectiveConfig c, double[] theta, Func<int, long>? frozenClassOfZ = null)
    {
        double F(double v, long y) => theta[0] * v + theta[1] + theta[2 + y];
        static double F0(double v, long y) => W0 * v + B0 + E0[y];
        frozenClassOfZ ??= i => ClassesOfZ[i];
        var rec = xs.Select((x, i) => MeanAbs(x.Select(v => F(v, ClassesOfX[i]) - v))).Average();
        var idem = zs.Select((z, i) => MeanAbs(z.Select(v =>
            F0(F(v, ClassesOfZ[i]), frozenClassOfZ(i)) - F(v, ClassesOfZ[i])))).Average();
        var tight = zs.Select((z, i) => -MeanAbs(z.Select(v =>
        {
            double u = F0(v, ClassesOfZ[i]);
            return F(u, ClassesOfZ[i]) - u;
        }))).Average();
        return c.LambdaRec * rec + c.LambdaIdem * idem + c.LambdaTight * tight;
    }

    private double[] ReferenceGradient(ObjectiveConfig c, Func<int, long>? frozenClassOfZ = null)
    {
        const double h = 1e-6;
        double[] at = [W0, B0, .. E0];
        return Enumerable.Range(0, at.Length).Select(p =>
        {
            double[] up = [.. at], down = [.. at];
            up[p] += h;
            down[p] -= h;
            return (Reference(c, up, frozenClassOfZ) - Reference(c, down, frozenClassOfZ)) / (2 * h);
        }).ToArray();
    }

    /// <summary>Seed 002's weights without a clamp, f at (W0, B0, E0), its frozen copy, and the batches.</summary>
    private (ObjectiveConfig, ConditionalAffine, FrozenCopy, Tensor, Tensor) Setup()
    {
        var f = new ConditionalAffine(W0, B0, E0);
        return (new ObjectiveConfig { LambdaRec = 20, LambdaIdem = 20, LambdaTight = 2.5f, Clamp = TightnessClamp.None },
                f, new FrozenCopy(f, new ConditionalAffine(0, 0, [0, 0, 0])),
                tensor(xs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64),
                tensor(zs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64));
    }

    [Fact]
    public void Each_application_gets_the_class_of_its_path_and_the_frozen_copy_gets_z_s()
    {
        var (c, f, copy, x, z) = Setup();
        var labels = new ClassLabels(tensor(ClassesOfX), tensor(ClassesOfZ));

        var losses = new IgnObjective(c).Compute(f, copy.Module, x, z, labels: labels);
        losses.Total.backward();

        Assert.Equal(Reference(c, [W0, B0, .. E0]), losses.Total.item<double>(), 1e-9);
        double[] autograd = [f.w.grad!.item<double>(), f.b.grad!.item<double>(), .. f.e.grad!.data<double>().ToArray()];
        var expected = ReferenceGradient(c);
        for (int p = 0; p < expected.Length; p++) Assert.Equal(expected[p], autograd[p], 1e-5);
        // the test can tell: had the frozen copy been given the null class, the gradient would differ
        var wrong = ReferenceGradient(c, _ => 2);
        Assert.Contains(wrong.Zip(autograd), p => Math.Abs(p.First - p.Second) > 1e-3);
        // and the scopes put the labels back: both networks are at the null class again
        Assert.Null(f.Labels);
        Assert.Null(((ConditionalAffine)copy.Module).Labels);
    }

    [Fact]
    public void The_off_data_rows_get_the_classes_of_the_rows_of_x_they_came_from()
    {
        var (_, f, copy, x, z) = Setup();
        var c = new ObjectiveConfig { LambdaRec = 0, LambdaIdem = 0, LambdaTight = 0, LambdaRestore = 1,
                                      LambdaOffDataIdem = 1, Clamp = TightnessClamp.None };
        var labels = new ClassLabels(tensor(ClassesOfX), tensor(ClassesOfZ));
        var offData = new CorruptedBatch(x.narrow(0, 0, 2) * 0.5, x.narrow(0, 0, 2));      // rows 0 and 1: classes 0, 1
        var losses = new IgnObjective(c).Compute(f, copy.Module, x, z, offData: offData, labels: labels);
        double F(double v, long y) => W0 * v + B0 + E0[y];
        double Restoration(Func<int, long> classOf) =>
            xs.Take(2).Select((row, i) => MeanAbs(row.Select(v => F(0.5 * v, classOf(i)) - v))).Average();
        double OffIdem(Func<int, long> classOf) => xs.Take(2).Select((row, i) => MeanAbs(row.Select(v =>
            F(F(0.5 * v, classOf(i)), classOf(i)) - F(0.5 * v, classOf(i))))).Average();
        Assert.Equal(Restoration(i => ClassesOfX[i]), losses[LossTerms.Restoration]!.item<double>(), 9);
        Assert.Equal(OffIdem(i => ClassesOfX[i]), losses[LossTerms.OffDataIdempotence]!.item<double>(), 9);
        // the null class (the routing before) gives another value: the test can tell
        Assert.True(Math.Abs(Restoration(_ => 2) - Restoration(i => ClassesOfX[i])) > 1e-3);
        Assert.Null(f.Labels);
        Assert.Null(((ConditionalAffine)copy.Module).Labels);
    }

    [Fact]
    public void Without_labels_a_conditional_f_trains_its_null_class_only()
    {
        var (c, f, copy, x, z) = Setup();
        new IgnObjective(c).Compute(f, copy.Module, x, z).Total.backward();
        var grad = f.e.grad!.data<double>().ToArray();
        Assert.Equal(0, grad[0]);
        Assert.Equal(0, grad[1]);
        Assert.NotEqual(0, grad[2]);
    }

    private static readonly long[] WrongForX = [1, 0, 0, 0]; // x's true classes 0, 1, (dropped) 0, 1

    /// <summary>λ_w's term by hand: mean_i tanh(−D(f(x_i | y'_i), x_i) / (a·s_i))·a·s_i, s_i = D(f(x_i | y_i), x_i)
    /// at the base parameters (a constant: detached).</summary>
    private double WrongReference(ObjectiveConfig c, double[] theta, long[] classes, double sign = -1,
                                  double[]? liveScale = null)
    {
        double F(double v, long y, double[] t) => t[0] * v + t[1] + t[2 + y];
        double[] at = liveScale ?? [W0, B0, .. E0];
        return xs.Select((x, i) =>
        {
            double s = MeanAbs(x.Select(v => F(v, ClassesOfX[i], at) - v));
            double d = MeanAbs(x.Select(v => F(v, classes[i], theta) - v));
            double bound = c.ClampA * s;
            return Math.Tanh(sign * d / bound) * bound;
        }).Average();
    }

    private double[] WrongGradient(ObjectiveConfig c, long[] classes, double sign = -1, bool liveScale = false)
    {
        const double h = 1e-6;
        double[] at = [W0, B0, .. E0];
        double Total(double[] t) => Reference(c, t) + c.LambdaWrongClass * WrongReference(c, t, classes, sign,
            liveScale ? t : null);
        return Enumerable.Range(0, at.Length).Select(p =>
        {
            double[] up = [.. at], down = [.. at];
            up[p] += h;
            down[p] -= h;
            return (Total(up) - Total(down)) / (2 * h);
        }).ToArray();
    }

    [Fact]
    public void The_wrong_class_term_pushes_f_of_x_under_another_class_away_from_x_through_the_clamp()
    {
        var (c, f, copy, x, z) = Setup();
        c = c with { LambdaWrongClass = 7 };
        var labels = new ClassLabels(tensor(ClassesOfX), tensor(ClassesOfZ), tensor(WrongForX));

        var losses = new IgnObjective(c).Compute(f, copy.Module, x, z, labels: labels);
        losses.Total.backward();

        Assert.Equal(WrongReference(c, [W0, B0, .. E0], WrongForX), losses[LossTerms.WrongClass]!.item<double>(), 1e-9);
        Assert.True(losses[LossTerms.WrongClass]!.item<double>() < 0);
        double[] autograd = [f.w.grad!.item<double>(), f.b.grad!.item<double>(), .. f.e.grad!.data<double>().ToArray()];
        var expected = WrongGradient(c, WrongForX);
        for (int p = 0; p < expected.Length; p++) Assert.Equal(expected[p], autograd[p], 1e-5);
        // the test can tell a wrong sign, x's own classes, or a clamp scale that takes gradient
        foreach (var other in new[] { WrongGradient(c, WrongForX, sign: +1), WrongGradient(c, ClassesOfX),
                                      WrongGradient(c, WrongForX, liveScale: true) })
            Assert.Contains(other.Zip(autograd), p => Math.Abs(p.First - p.Second) > 1e-3);
        Assert.Null(f.Labels);
    }

    [Fact]
    public void The_wrong_class_term_needs_the_wrong_classes()
    {
        var (c, f, copy, x, z) = Setup();
        var labels = new ClassLabels(tensor(ClassesOfX), tensor(ClassesOfZ));
        Assert.Throws<ArgumentException>(() =>
            new IgnObjective(c with { LambdaWrongClass = 1 }).Compute(f, copy.Module, x, z, labels: labels));
    }
}
