using Ign.Objective;
using static TorchSharp.torch;

namespace Ign.Tests.Objective;

/// <summary>
/// Checks the IGN objective's values and gradients on f(v) = w·v + b against a reference written out
/// by hand in plain doubles, where each application of f says which weights it uses: the live θ
/// (differentiated) or the frozen θ0 (a constant). The gradient is then a central difference in θ.
/// </summary>
public class GradientRoutingTests
{
    private const double W0 = 0.7, B0 = 0.1;
    private readonly double[][] xs, zs; // 4 samples of 6 pixels each
    private readonly double[][] cs;     // corrupted copies of the first 2 samples of xs, for the off-data terms
    private static readonly double[] Mu = [-0.8, -0.2, 0.3, 0.9, -0.5, 0.1]; // the λ_m term's data mean, 6 pixels

    public GradientRoutingTests()
    {
        var random = new Random(7);
        xs = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        zs = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 3 - 1.5).ToArray()).ToArray();
        cs = xs.Take(2).Select(x => x.Select(v => 0.3 * v + random.NextDouble() - 0.5).ToArray()).ToArray();
    }

    private static double F(double w, double b, double v) => w * v + b;
    private static double MeanAbs(IEnumerable<double> d) => d.Select(Math.Abs).Average();

    /// <summary>The loss as the paper defines it, θ = (w, b) live, θ0 = (W0, B0) frozen.</summary>
    /// <param name="depth">k of λ_rr and λ_p: their outer f is applied to f^k of the input, a constant</param>
    private double Reference(ObjectiveConfig c, double w, double b, bool wrongRouting = false, int depth = 1)
    {
        // wrongRouting: every application of f uses the live θ and nothing is detached (an identity-leaning autoencoder).
        double fw = wrongRouting ? w : W0, fb = wrongRouting ? b : B0;
        var rec = xs.Select(x => MeanAbs(x.Select(v => F(w, b, v) - v))).ToArray();
        var idem = zs.Select(z => MeanAbs(z.Select(v => F(fw, fb, F(w, b, v)) - F(w, b, v)))).ToArray();
        var tight = zs.Select(z => -MeanAbs(z.Select(v => { double u = F(fw, fb, v); return F(w, b, u) - u; }))).ToArray();
        if (c.Clamp == TightnessClamp.Tanh)
            for (int i = 0; i < tight.Length; i++)
            {
                double s = c.Scale switch
                {
                    ClampScale.Reconstruction => rec[i],
                    ClampScale.ReconstructionDetached => MeanAbs(xs[i].Select(v => F(W0, B0, v) - v)),
                    _ => MeanAbs(zs[i].Select(v => F(W0, B0, v) - v)),
                };
                double bound = c.ClampA * Math.Max(s, 1e-6);
                tight[i] = Math.Tanh(tight[i] / bound) * bound;
            }
        // λ_m: the squared distance, averaged over pixels, between the batch mean of the live f(z) and μ
        double meanMatch = Mu.Select((mu, p) => Math.Pow(zs.Average(z => F(w, b, z[p])) - mu, 2)).Average();
        // λ_s: f(c) against the clean x it came from; λ_o: idempotence on f(c), routed as λ_i's
        double restore = cs.Select((cx, i) => MeanAbs(cx.Select((v, p) => F(w, b, v) - xs[i][p]))).Average();
        double offIdem = cs.Select(cx => MeanAbs(cx.Select(v => F(fw, fb, F(w, b, v)) - F(w, b, v)))).Average();
        // λ_2: f(f(c)) against x, both applications live
        double restoreTwice = cs.Select((cx, i) => MeanAbs(cx.Select((v, p) => F(w, b, F(w, b, v)) - xs[i][p]))).Average();
        // λ_rr: the live f applied to f(x) taken as a constant (θ0; wrongRouting: live, so both applications move)
        double recTwice = xs.Select(x => MeanAbs(x.Select(v => F(w, b, wrongRouting ? F(w, b, v) : Frozen(v, depth)) - v))).Average();
        // λ_p: the live f applied to f(c) taken as a constant, against the clean x (wrongRouting: both live)
        double restoreProjected = cs.Select((cx, i) => MeanAbs(cx.Select((v, p) =>
            F(w, b, wrongRouting ? F(w, b, v) : Frozen(v, depth)) - xs[i][p]))).Average();
        return c.LambdaRec * rec.Average() + c.LambdaIdem * idem.Average() + c.LambdaTight * tight.Average() + c.LambdaMean * meanMatch
               + c.LambdaRestore * restore + c.LambdaOffDataIdem * offIdem + c.LambdaRestoreTwice * restoreTwice
               + c.LambdaRecTwice * recTwice + c.LambdaRestoreProjected * restoreProjected;
    }

    /// <summary>f applied k times with θ0: a constant in θ.</summary>
    private static double Frozen(double v, int k)
    {
        for (int i = 0; i < k; i++) v = F(W0, B0, v);
        return v;
    }

    private (double W, double B) ReferenceGradient(ObjectiveConfig c, bool wrongRouting = false, int depth = 1)
    {
        const double h = 1e-6;
        return ((Reference(c, W0 + h, B0, wrongRouting, depth) - Reference(c, W0 - h, B0, wrongRouting, depth)) / (2 * h),
                (Reference(c, W0, B0 + h, wrongRouting, depth) - Reference(c, W0, B0 - h, wrongRouting, depth)) / (2 * h));
    }

    private (double Loss, double W, double B, IgnLosses Terms, FrozenCopy Copy) Autograd(ObjectiveConfig c, int depth = 1)
    {
        var f = new AffineScalar(W0, B0);
        var copy = new FrozenCopy(f, new AffineScalar(0, 0));
        var x = tensor(xs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var z = tensor(zs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var mu = tensor(Mu, [1, 2, 3], float64);
        var offData = new CorruptedBatch(tensor(cs.SelectMany(r => r).ToArray(), [2, 1, 2, 3], float64), x.narrow(0, 0, 2));
        var losses = new IgnObjective(c, depth).Compute(f, copy.Module, x, z, dataMean: mu, offData: offData);
        losses.Total.backward();
        return (losses.Total.item<double>(), f.w.grad!.item<double>(), f.b.grad!.item<double>(), losses, copy);
    }

    public static TheoryData<string, float, float, float, TightnessClamp, ClampScale> Configs => new()
    {
        { "mean matching only", 0, 0, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "reconstruction only", 20, 0, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "idempotence only", 0, 20, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "tightness only, no clamp", 0, 0, 2.5f, TightnessClamp.None, ClampScale.Reconstruction },
        { "tightness, tanh clamp, live reconstruction scale", 0, 0, 2.5f, TightnessClamp.Tanh, ClampScale.Reconstruction },
        { "tightness, tanh clamp, detached scale", 0, 0, 2.5f, TightnessClamp.Tanh, ClampScale.ReconstructionDetached },
        { "tightness, tanh clamp, noise scale", 0, 0, 2.5f, TightnessClamp.Tanh, ClampScale.Noise },
        { "seed 002 (all terms, no clamp)", 20, 20, 2.5f, TightnessClamp.None, ClampScale.Reconstruction },
        { "paper (all terms, tanh clamp)", 20, 20, 2.5f, TightnessClamp.Tanh, ClampScale.Reconstruction },
        { "restoration only", 0, 0, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "off-data idempotence only", 0, 0, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "off-data both, with seed 002", 20, 20, 2.5f, TightnessClamp.None, ClampScale.Reconstruction },
        { "restoration twice only", 0, 0, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "restoration twice, with everything", 20, 20, 2.5f, TightnessClamp.None, ClampScale.Reconstruction },
        { "reconstruction twice only", 0, 0, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "reconstruction twice, with seed 002", 20, 20, 2.5f, TightnessClamp.None, ClampScale.Reconstruction },
        { "projection restored only", 0, 0, 0, TightnessClamp.None, ClampScale.Reconstruction },
        { "projection restored, with everything", 20, 20, 2.5f, TightnessClamp.None, ClampScale.Reconstruction },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Loss_and_gradient_match_the_hand_built_reference(string name, float lr, float li, float lt, TightnessClamp clamp, ClampScale scale)
    {
        var c = ObjectiveConfig.Paper with { LambdaRec = lr, LambdaIdem = li, LambdaTight = lt, Clamp = clamp, ClampA = 0.5f, Scale = scale,
                                      LambdaMean = name.StartsWith("mean") ? 3 : 0,
                                      LambdaRestore = name is "restoration only" || name.StartsWith("off-data both") || name.EndsWith("everything") ? 20 : 0,
                                      LambdaOffDataIdem = name.StartsWith("off-data") || name.EndsWith("everything") ? 20 : 0,
                                      LambdaRestoreProjected = name.StartsWith("projection restored") ? 20 : 0,
                                      LambdaRestoreTwice = name.StartsWith("restoration twice") ? 20 : 0,
                                      LambdaRecTwice = name.StartsWith("reconstruction twice") ? 20 : 0 };
        var (loss, gw, gb, _, _) = Autograd(c);
        var (rw, rb) = ReferenceGradient(c);
        Assert.True(Math.Abs(loss - Reference(c, W0, B0)) < 1e-9, $"{name}: loss {loss} vs reference {Reference(c, W0, B0)}");
        Assert.True(Math.Abs(gw - rw) < 1e-5 && Math.Abs(gb - rb) < 1e-5, $"{name}: grad ({gw}, {gb}) vs reference ({rw}, {rb})");
    }

    [Theory]
    [InlineData(0f, 20f, 0f)] // idempotence through the copy's weights would make it an identity-seeking term
    [InlineData(0f, 0f, 2.5f)] // tightness through the inner f(z) would push f(z) itself around
    [InlineData(0f, 0f, 0f, 20f)] // reconstruction twice through the inner f(x) would move the reconstruction too
    [InlineData(0f, 0f, 0f, 0f, 20f)] // the projection restored through the inner f(c) would move the first application
    public void The_reference_is_sensitive_to_wrong_routing(float lr, float li, float lt, float lrr = 0, float lp = 0)
    {
        var c = ObjectiveConfig.Paper with { LambdaRec = lr, LambdaIdem = li, LambdaTight = lt, Clamp = TightnessClamp.None,
                                             LambdaRecTwice = lrr, LambdaRestoreProjected = lp };
        var (_, gw, gb, _, _) = Autograd(c);
        var (ww, wb) = ReferenceGradient(c, wrongRouting: true);
        Assert.True(Math.Abs(gw - ww) + Math.Abs(gb - wb) > 1e-2, $"wrong routing gives ({ww}, {wb}), too close to ({gw}, {gb})");
    }

    [Theory]
    [InlineData(20f, 0f, 2)]
    [InlineData(0f, 20f, 3)]
    [InlineData(20f, 20f, 3)]
    public void At_depth_k_the_outer_f_of_rec_twice_and_projection_restored_gets_f_to_the_k_as_a_constant(
        float lrr, float lp, int depth)
    {
        var c = ObjectiveConfig.Paper with { LambdaRecTwice = lrr, LambdaRestoreProjected = lp, RefineDepth = 3 };
        var (loss, gw, gb, _, _) = Autograd(c, depth);
        var (rw, rb) = ReferenceGradient(c, depth: depth);
        Assert.True(Math.Abs(loss - Reference(c, W0, B0, depth: depth)) < 1e-9, $"loss {loss}");
        Assert.True(Math.Abs(gw - rw) < 1e-5 && Math.Abs(gb - rb) < 1e-5, $"grad ({gw}, {gb}) vs reference ({rw}, {rb})");
        // the depth is not ignored: the first application's reference is measurably another gradient
        var (w1, b1) = ReferenceGradient(c, depth: 1);
        Assert.True(Math.Abs(gw - w1) + Math.Abs(gb - b1) > 1e-2, $"depth {depth} gives depth 1's gradient ({w1}, {b1})");
    }

    [Fact]
    public void A_depth_beyond_the_configured_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new IgnObjective(ObjectiveConfig.Paper with { RefineDepth = 2 }, 3));

    [Fact]
    public void Off_data_idempotence_is_sensitive_to_wrong_routing_and_restoration_pulls_toward_the_clean_image()
    {
        var offIdem = ObjectiveConfig.Paper with { LambdaRec = 0, LambdaIdem = 0, LambdaTight = 0, LambdaOffDataIdem = 20 };
        var (_, gw, gb, terms, copy) = Autograd(offIdem);
        var (ww, wb) = ReferenceGradient(offIdem, wrongRouting: true);     // the outer f live too
        Assert.True(Math.Abs(gw - ww) + Math.Abs(gb - wb) > 1e-2, $"wrong routing gives ({ww}, {wb}), too close to ({gw}, {gb})");
        Assert.All(copy.Module.parameters(), p => Assert.Null(p.grad));
        Assert.Null(terms[LossTerms.MeanMatch]);

        // restoration alone: its value is D(f(c), x), and moving f toward the identity on c changes it with the sign
        // of what separates f(c) from x
        var restore = ObjectiveConfig.Paper with { LambdaRec = 0, LambdaIdem = 0, LambdaTight = 0, LambdaRestore = 1 };
        var (loss, _, rb, restoreTerms, _) = Autograd(restore);
        double expected = cs.Select((cx, i) => MeanAbs(cx.Select((v, p) => F(W0, B0, v) - xs[i][p]))).Average();
        Assert.Equal(expected, restoreTerms[LossTerms.Restoration]!.item<double>(), 9);
        Assert.Equal(expected, loss, 9);
        double signs = cs.Select((cx, i) => cx.Select((v, p) => Math.Sign(F(W0, B0, v) - xs[i][p])).Average()).Average();
        Assert.Equal(signs, rb, 9);                                       // ∂/∂b of mean |f(c) − x| is mean sign(f(c) − x)

        // twice: f(f(c)) = w²c + wb + b, so ∂/∂w of mean |f(f(c)) − x| is mean sign(f(f(c)) − x) · (2wc + b) through
        // both applications; with the outer application frozen it would be mean sign(...) · w·c
        var twice = ObjectiveConfig.Paper with { LambdaRec = 0, LambdaIdem = 0, LambdaTight = 0, LambdaRestoreTwice = 1 };
        var (_, tw, _, twiceTerms, _) = Autograd(twice);
        double Through(Func<double, double> inner) => cs.Select((cx, i) => cx.Select((v, p) =>
            Math.Sign(F(W0, B0, F(W0, B0, v)) - xs[i][p]) * inner(v)).Average()).Average();
        Assert.Equal(Through(v => 2 * W0 * v + B0), tw, 9);
        Assert.True(Math.Abs(tw - Through(v => W0 * v)) > 1e-2);
        Assert.True(twiceTerms[LossTerms.RestorationTwice]!.item<double>() > 0);

        var f = new AffineScalar(W0, B0);
        var needsBatch = new IgnObjective(restore);
        var x = tensor(xs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        Assert.Throws<ArgumentException>(() => needsBatch.Compute(f, new FrozenCopy(f, new AffineScalar(0, 0)).Module, x, x));
    }

    [Fact]
    public void Reconstruction_pulls_f_x_toward_the_given_target_when_there_is_one()
    {
        var f = new AffineScalar(W0, B0);
        var copy = new FrozenCopy(f, new AffineScalar(0, 0));
        var x = tensor(xs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var z = tensor(zs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var clean = x * 0.5;                                                           // (4, 1, 2, 3)
        var only = new IgnObjective(ObjectiveConfig.Paper with { LambdaRec = 1, LambdaIdem = 0, LambdaTight = 0 });
        var losses = only.Compute(f, copy.Module, x, z, reconstructionTarget: clean);
        double expected = xs.Select(r => MeanAbs(r.Select(v => F(W0, B0, v) - 0.5 * v))).Average();
        Assert.Equal(expected, losses.Reconstruction.item<double>(), 9);
        losses.Total.backward();
        // ∂/∂b of mean |f(x) − t| is mean sign(f(x) − t): toward the target, not toward x
        double signs = xs.Select(r => r.Select(v => (double)Math.Sign(F(W0, B0, v) - 0.5 * v)).Average()).Average();
        Assert.Equal(signs, f.b.grad!.item<double>(), 9);
        Assert.NotEqual(expected, only.Compute(f, copy.Module, x, z).Reconstruction.item<double>(), 6);
    }

    [Fact]
    public void Idempotence_leaves_the_copy_without_gradient_but_reaches_f_through_its_input()
    {
        var (_, gw, gb, _, copy) = Autograd(ObjectiveConfig.Paper with { LambdaRec = 0, LambdaIdem = 20, LambdaTight = 0 });
        foreach (var p in copy.Module.parameters())
        {
            Assert.False(p.requires_grad);
            Assert.Null(p.grad);
        }
        Assert.True(Math.Abs(gw) > 1e-3 || Math.Abs(gb) > 1e-3);
    }

    [Fact]
    public void Tightness_is_negative_and_lowers_the_total()
    {
        var (_, _, _, terms, _) = Autograd(ObjectiveConfig.Paper with { Clamp = TightnessClamp.None });
        double tight = terms.Tightness.item<double>();
        double expected = -zs.Select(z => MeanAbs(z.Select(v => { double u = F(W0, B0, v); return F(W0, B0, u) - u; }))).Average();
        Assert.True(tight < 0);
        Assert.Equal(expected, tight, 9);
        double total = 20 * terms.Reconstruction.item<double>() + 20 * terms.Idempotence.item<double>() + 2.5 * tight;
        Assert.Equal(total, terms.Total.item<double>(), 9);
    }

    [Fact]
    public void Mean_matching_adds_to_the_other_terms_pulls_the_batch_mean_of_f_z_toward_mu_and_needs_mu()
    {
        var all = ObjectiveConfig.Paper with { Clamp = TightnessClamp.None, LambdaMean = 3 };
        var (loss, gw, gb, terms, _) = Autograd(all);
        var (rw, rb) = ReferenceGradient(all);
        Assert.Equal(Reference(all, W0, B0), loss, 9);
        Assert.True(Math.Abs(gw - rw) < 1e-5 && Math.Abs(gb - rb) < 1e-5, $"grad ({gw}, {gb}) vs reference ({rw}, {rb})");
        double meanMatch = terms[LossTerms.MeanMatch]!.item<double>();
        Assert.Equal(loss - 3 * meanMatch, Reference(all with { LambdaMean = 0 }, W0, B0), 9);

        // the sign: the bias b moves every f(z) alike, so its gradient is 2·λm·mean_p(mean f(z) − μ)
        double meanGap = Mu.Select((mu, p) => zs.Average(z => F(W0, B0, z[p])) - mu).Average();
        var (_, _, onlyMeanB, _, _) = Autograd(ObjectiveConfig.Paper with { LambdaRec = 0, LambdaIdem = 0, LambdaTight = 0, LambdaMean = 3 });
        Assert.Equal(2 * 3 * meanGap, onlyMeanB, 9);
        Assert.True(Math.Abs(meanGap) > 1e-2);

        var f = new AffineScalar(W0, B0);
        var copy = new FrozenCopy(f, new AffineScalar(0, 0));
        var x = tensor(xs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var z = tensor(zs.SelectMany(r => r).ToArray(), [4, 1, 2, 3], float64);
        var objective = new IgnObjective(all);
        Assert.Throws<ArgumentException>(() => objective.Compute(f, copy.Module, x, z));
        var before = objective.Compute(f, copy.Module, x, z, meanScale: 0); // off before its first step: μ is not needed
        Assert.Null(before[LossTerms.MeanMatch]);
        Assert.Equal(Reference(all with { LambdaMean = 0 }, W0, B0), before.Total.item<double>(), 9);
    }

    [Fact]
    public void Tanh_clamp_bounds_each_sample_by_a_times_s()
    {
        var objective = new IgnObjective(ObjectiveConfig.Paper with { ClampA = 1.5f });
        var tight = tensor(new double[] { -100, -0.001, -3, -0.5 });
        var scale = tensor(new double[] { 0.1, 0.5, 2e-9, 1.0 });
        var clamped = objective.ClampTightness(tight, scale).data<double>().ToArray();
        double[] bounds = [0.15, 0.75, 1.5e-6, 1.5];
        for (int i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(clamped[i]) <= bounds[i] + 1e-12, $"sample {i}: |{clamped[i]}| > {bounds[i]}");
            Assert.True(clamped[i] < 0);
        }
        Assert.Equal(-0.001, clamped[1], 5); // |L| ≪ a·s: the clamp is nearly the identity
    }

    [Fact]
    public void L2_distance_is_the_mean_squared_difference()
    {
        var objective = new IgnObjective(ObjectiveConfig.Paper with { Distance = Distance.L2 });
        var a = tensor(new double[] { 1, 2, 3, 4 }, [2, 1, 1, 2]);
        var b = tensor(new double[] { 0, 0, 1, 1 }, [2, 1, 1, 2]);
        Assert.Equal([2.5, 6.5], objective.PerSample(a, b).data<double>().ToArray());
    }
}
