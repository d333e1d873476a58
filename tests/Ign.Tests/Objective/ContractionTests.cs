using Ign.Models;
using Ign.Objective;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Tests.Objective;

/// <summary>
/// λ_c, the contraction term max(0, ‖f(x + εv) − f(x)‖² / ‖εv‖² − ρ²). On f(v) = w·v + b its gain is |w| whatever the
/// random v, so the value and the gradient are known exactly: λc·(w² − ρ²) and (2λc·w, 0). A detached f(x) would give
/// b a gradient; a gain measured against x instead of f(x) would not be w².
/// </summary>
public class ContractionTests
{
    private const double W0 = 0.7, B0 = 0.1;

    private static Tensor Images(int seed, double spread)
    {
        var random = new Random(seed);
        return tensor(Enumerable.Range(0, 24).Select(_ => (random.NextDouble() * 2 - 1) * spread).ToArray(),
                      [4, 1, 2, 3], float64);                                                    // (4, 1, 2, 3)
    }

    private static ObjectiveConfig ContractionOnly(float lambda, float bound = 0, float step = 0.1f) =>
        ObjectiveConfig.Paper with
        {
            LambdaRec = 0, LambdaIdem = 0, LambdaTight = 0, LambdaContract = lambda, ContractBound = bound,
            ContractStep = step,
        };

    private static (IgnLosses Losses, AffineScalar F) Compute(ObjectiveConfig c)
    {
        var f = new AffineScalar(W0, B0);
        var copy = new FrozenCopy(f, new AffineScalar(0, 0));
        var losses = new IgnObjective(c).Compute(f, copy.Module, Images(3, 1), Images(4, 1.5));
        losses.Total.backward();
        return (losses, f);
    }

    [Theory]
    [InlineData(1f, 0.01f)]
    [InlineData(3f, 0.1f)]
    [InlineData(3f, 0.5f)]
    public void The_gain_of_an_affine_f_is_its_slope_and_the_gradient_reaches_both_applications(float lambda, float step)
    {
        var (losses, f) = Compute(ContractionOnly(lambda, step: step));
        Assert.Equal(W0 * W0, losses[LossTerms.Contraction]!.item<double>(), 9);
        Assert.Equal(lambda * W0 * W0, losses.Total.item<double>(), 9);
        Assert.Equal(2 * lambda * W0, f.w.grad!.item<double>(), 9);     // shrinking w shrinks the gain
        Assert.Equal(0, f.b.grad!.item<double>(), 9);                    // b moves f(x) and f(x + εv) alike
    }

    [Fact]
    public void A_gain_under_the_bound_costs_nothing_and_one_over_it_costs_its_excess()
    {
        var (under, fUnder) = Compute(ContractionOnly(2, bound: 0.8f));
        Assert.Equal(0, under[LossTerms.Contraction]!.item<double>(), 12);
        Assert.Equal(0, fUnder.w.grad!.item<double>(), 12);

        var (over, fOver) = Compute(ContractionOnly(2, bound: 0.5f));
        Assert.Equal(W0 * W0 - 0.25, over[LossTerms.Contraction]!.item<double>(), 6);
        Assert.Equal(2 * 2 * W0, fOver.w.grad!.item<double>(), 9);
    }

    [Fact]
    public void Off_it_is_not_computed_and_on_it_adds_to_the_other_terms_without_changing_them()
    {
        var paper = ObjectiveConfig.Paper with { Clamp = TightnessClamp.None };
        var (without, _) = Compute(paper);
        Assert.Null(without[LossTerms.Contraction]);
        var (with, _) = Compute(paper with { LambdaContract = 4 });
        Assert.Equal(without.Reconstruction.item<double>(), with.Reconstruction.item<double>(), 12);
        Assert.Equal(without.Total.item<double>() + 4 * W0 * W0, with.Total.item<double>(), 9);
    }

    [Fact]
    public void Both_applications_run_as_one_batch_without_dropout_so_they_see_the_same_network()
    {
        var f = new BatchRecorder();
        var copy = new FrozenCopy(f, new BatchRecorder());
        f.train();
        var x = Images(3, 1);
        new IgnObjective(ContractionOnly(1)).Compute(f, copy.Module, x, Images(4, 1.5));
        var pair = Assert.Single(f.Calls, call => call.Input.shape[0] == 8);                  // (8, 1, 2, 3)
        Assert.True(pair.Input.narrow(0, 0, 4).eq(x).all().item<bool>());
        var step = pair.Input.narrow(0, 4, 4) - x;                                               // (4, 1, 2, 3), εv
        Assert.InRange(step.std().item<double>(), 0.01, 0.3);                                    // ε = 0.1, 24 draws
        Assert.False(pair.DropoutOn);
        Assert.All(f.Calls.Where(call => call.Input.shape[0] == 4), call => Assert.True(call.DropoutOn));
        Assert.True(f.Drop.training);                                                            // back on after
    }

    [Fact]
    public void Along_the_residual_the_step_is_f_x_minus_x_scaled_to_epsilon_per_pixel()
    {
        var f = new BatchRecorder(scale: 0.5);                        // f(x) − x = −x/2
        var copy = new FrozenCopy(f, new BatchRecorder());
        var x = Images(3, 1);
        var losses = new IgnObjective(ContractionOnly(1, step: 0.2f) with { ContractAlong = ContractDirection.Residual })
            .Compute(f, copy.Module, x, Images(4, 1.5));
        var pair = Assert.Single(f.Calls, call => call.Input.shape[0] == 8).Input;                // (8, 1, 2, 3)
        var step = pair.narrow(0, 4, 4) - x;                                                      // (4, 1, 2, 3)
        var rms = x.square().flatten(1).mean([1L]).sqrt().view(4, 1, 1, 1);                       // (4, 1, 1, 1)
        Assert.True(step.allclose(-0.2 * x / rms, rtol: 1e-6, atol: 1e-9));        // ε is a float: 0.2f
        Assert.Equal(0.25, losses[LossTerms.Contraction]!.item<double>(), 9);                      // gain 1/2

        var identity = new BatchRecorder();                          // f(x) = x: no residual, no step, no gain
        var still = new IgnObjective(ContractionOnly(1) with { ContractAlong = ContractDirection.Residual })
            .Compute(identity, new FrozenCopy(identity, new BatchRecorder()).Module, x, Images(4, 1.5));
        Assert.Equal(0, still[LossTerms.Contraction]!.item<double>(), 12);
    }

    [Fact]
    public void A_conditional_f_gets_x_s_classes_on_both_halves()
    {
        var f = new ConditionalAffine(W0, B0, [0.3, -0.4, 0.05]);
        var copy = new FrozenCopy(f, new ConditionalAffine(0, 0, [0, 0, 0]));
        var labels = new ClassLabels(tensor(new long[] { 0, 1, 2, 1 }), tensor(new long[] { 1, 2, 0, 0 }));
        var losses = new IgnObjective(ContractionOnly(1)).Compute(f, copy.Module, Images(3, 1), Images(4, 1.5),
                                                                   labels: labels);
        // another class on the moved half would add (e_y − e_y')² / ‖εv‖² to the gain
        Assert.Equal(W0 * W0, losses[LossTerms.Contraction]!.item<double>(), 9);
    }

    [Theory]
    [InlineData(0f, 0f, "step must be positive")]
    [InlineData(float.NaN, 0f, "step must be positive")]
    [InlineData(0.1f, -0.5f, "bound must be finite and ≥ 0")]
    public void A_step_or_bound_out_of_range_is_refused_before_training(float step, float bound, string message)
    {
        var tiny = Ign.Training.TrainConfig.FromPreset("tiny");
        var bad = tiny with { Objective = tiny.Objective with { LambdaContract = 1, ContractStep = step, ContractBound = bound } };
        Assert.Contains(message, Assert.Throws<ArgumentException>(bad.Validate).Message);
    }

    /// <summary>f(v) = s·v, recording every batch it is given and whether its dropout layer was on.</summary>
    private sealed class BatchRecorder : Module<Tensor, Tensor>
    {
        public readonly TorchSharp.Modules.Dropout2d Drop = Dropout2d(0.5);
        private readonly double scale;

        public BatchRecorder(double scale = 1) : base(nameof(BatchRecorder))
        {
            this.scale = scale;
            RegisterComponents();
        }

        public List<(Tensor Input, bool DropoutOn)> Calls { get; } = [];

        public override Tensor forward(Tensor v)
        {
            Calls.Add((v.detach().clone(), Drop.training));
            return v * scale;
        }
    }
}
