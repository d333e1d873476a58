using Ign.Models;
using Ign.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Objective;

/// <summary>The loss terms of one step (unweighted, batch means; an optional term null when it is off), one per term
/// of <see cref="LossTerms.All"/>, and the weighted total to minimise.</summary>
public sealed class IgnLosses
{
    private readonly Tensor?[] terms;

    public IgnLosses(Tensor total, IReadOnlyList<Tensor?> terms)
    {
        if (terms.Count != LossTerms.All.Count)
            throw new ArgumentException($"{LossTerms.All.Count} loss terms expected, got {terms.Count}");
        if (LossTerms.All.Any(t => !t.Optional && terms[t.Index] is null))
            throw new ArgumentException("the paper's three terms are always computed");
        Total = total;
        this.terms = terms.ToArray();
    }

    public Tensor Total { get; }

    public Tensor? this[LossTerm term] => terms[term.Index];

    public Tensor Reconstruction => terms[LossTerms.Reconstruction.Index]!;
    public Tensor Idempotence => terms[LossTerms.Idempotence.Index]!;
    public Tensor Tightness => terms[LossTerms.Tightness.Index]!;

    /// <summary>Every number, in one copy from the device.</summary>
    public LossValues Read()
    {
        using var scope = NewDisposeScope();
        var zero = zeros_like(Total);
        var v = stack(terms.Select(t => t ?? zero).Prepend(Total).ToArray())
            .cpu()
            .data<float>()
            .ToArray();
        return new LossValues(v[0], v[1..]);
    }
}

/// <summary>Corrupted training images c(x) and the clean x they came from, for the off-data terms.</summary>
public sealed record CorruptedBatch(Tensor Corrupted, Tensor Clean);

/// <summary>A conditional step's classes, (B) int64 each, the null class where dropped: x's own, and the ones z is
/// asked for (every application on the z path, f' included, gets z's); for λ_w, a class other than each x's true one
/// (never null).</summary>
public sealed record ClassLabels(Tensor OfX, Tensor OfZ, Tensor? WrongForX = null);

/// <summary>
/// The IGN objective (Shocher et al. 2024), with its gradient routing:
///   L_rec   = D(f(x), x)                     gradient through f(x)
///   L_idem  = D(f'(f(z)), f(z))              f' is the frozen copy: only the inner f(z) gets gradient
///   L_tight = -D(f(f(z)^sg), f(z)^sg)        f(z) detached: only the outer f gets gradient
///   L_mean  = ‖mean_B f(z) − μ‖² (pixel mean)  optional, not in the paper: gradient through f(z),
///                                              μ the data's mean image
///   L_restore = D(f(c), x)                  optional, not in the paper: c = c(x) a corrupted training image;
///                                              gradient through f(c)
///   L_offidem = D(f'(f(c)), f(c))            optional, not in the paper: idempotence on c, routed as L_idem
///                                              (no tightness on c: it would push f(f(c)) away from f(c))
///   L_restore2 = D(f(f(c)), x)               optional, not in the paper: the second application restores too;
///                                              gradient through both applications
///   L_rec2  = D(f(f^k(x)^sg), x)             optional, not in the paper: f of its own reconstruction gives the
///                                              image back; gradient through the outer f only (k: refineDepth)
///   L_proj2 = D(f(f^k(c)^sg), x)             optional, not in the paper: f of its own projection of c brings it
///                                              nearer the clean x; gradient through the outer f only, so the
///                                              first application is left as it is
///   L_wrong = -D(f(x | y'), x)               optional, conditional, not in the paper: y' ≠ x's class, so a real
///                                              image is not a fixed point under another class; always tanh-clamped
///                                              with s = D(f(x), x)^sg (unbounded, it would push f(x | y') anywhere)
///   L_contract = max(0, ‖f(x + εv) − f(x)‖² / ‖εv‖² − ρ²)   optional, not in the paper: f contracts around the
///                                              data; v ~ N(0, 1) or f's residual (f(x) − x)^sg, ε per pixel;
///                                              gradient through both applications (a Jacobian penalty), a pass of
///                                              their own: one batch, so BatchNorm's statistics are shared, and no
///                                              dropout
///   L_guide = CE(g(f(z | y_z)), y_z)        optional, conditional, not in the paper: g a frozen classifier (an
///                                              auxiliary classifier's loss); over the rows of z with a class,
///                                              gradient through f(z | y_z) into f, none into g
///   L = λr·L_rec + λi·L_idem + λt·clamp(L_tight) [+ λm·L_mean] [+ λs·L_restore] [+ λo·L_offidem] [+ λ2·L_restore2]
///       [+ λrr·L_rec2] [+ λw·clamp(L_wrong)] [+ λp·L_proj2] [+ λc·L_contract] [+ λg·L_guide]
/// A conditional f (<see cref="ClassLabels"/>) computes f(x | y_x) and every z-path term with z's class y_z:
/// f(z | y_z), f'(f(z | y_z) | y_z), f(f(z | y_z)^sg | y_z); the off-data terms the classes of the rows of
/// x their c(x) came from.
/// The frozen copy must have been synced with f before this is called (see <see cref="FrozenCopy"/>).
/// </summary>
/// <param name="refineDepth">k, how many times f has been applied to the input of λrr's and λp's outer f this step
/// (1 … Config.RefineDepth; the Trainer draws it): f^k(x)^sg and f^k(c)^sg, the k − 1 further applications without
/// gradient</param>
public sealed class IgnObjective(ObjectiveConfig config, int refineDepth = 1)
{
    public ObjectiveConfig Config { get; } = config;

    public int RefineDepth { get; } = refineDepth >= 1 && refineDepth <= config.RefineDepth
        ? refineDepth
        : throw new ArgumentOutOfRangeException(nameof(refineDepth), $"1 … {config.RefineDepth}, got {refineDepth}");

    /// <param name="tightnessScale">multiplies λ_t (a warm-up schedule ramps it from 0 to 1); the reported L_tight
    /// stays unweighted</param>
    /// <param name="dataMean">μ, the training images' mean (C, H, W); needed when λ_m &gt; 0</param>
    /// <param name="meanScale">multiplies λ_m (0 before the term's first step); the term is computed only when
    /// λ_m · meanScale &gt; 0</param>
    /// <param name="offData">c(x) and x for λ_s, λ_o, λ_2 and λ_p; needed when one is &gt; 0</param>
    /// <param name="reconstructionTarget">what f(x) is pulled toward (the clean images when x has input noise);
    /// x itself when null</param>
    /// <param name="labels">the classes of x and z for a conditional f; null: unconditional (or the null class)
    /// </param>
    /// <param name="classGuide">g of λ_g: a classifier (B, C, H, W) → (B, classes) logits, frozen and in eval mode;
    /// needed when λ_g &gt; 0</param>
    public IgnLosses Compute(Module<Tensor, Tensor> f, Module<Tensor, Tensor> frozen, Tensor x, Tensor z,
                             double tightnessScale = 1, Tensor? dataMean = null, double meanScale = 1,
                             CorruptedBatch? offData = null, Tensor? reconstructionTarget = null,
                             ClassLabels? labels = null, Module<Tensor, Tensor>? classGuide = null)
    {
        if (Config.LambdaClassGuide > 0 && (classGuide is null || labels is null))
            throw new ArgumentException("λ_g > 0 needs a classifier and z's classes");
        if (UsesOffData && offData is null)
            throw new ArgumentException("λ_s, λ_o, λ_2 or λ_p > 0 needs corrupted images");
        if (x.shape[0] != z.shape[0]) throw new ArgumentException("x and z must hold the same number of samples");
        bool withMean = Config.LambdaMean > 0 && meanScale > 0;
        if (withMean && dataMean is null) throw new ArgumentException("λ_m > 0 needs the data's mean image");
        var recTarget = reconstructionTarget ?? x;           // (B, C, H, W)
        Tensor fx, fz, fzDetached, idemPerSample, tightPerSample;
        Tensor? ffx = null;
        using (Conditioning.On(f, labels?.OfX))
        {
            fx = f.forward(x);                               // (B, C, H, W)
            if (Config.LambdaRecTwice > 0) ffx = f.forward(AppliedAgain(f, fx)); // (B, C, H, W), f(f^k(x)^sg)
        }
        using (Conditioning.On(f, labels?.OfZ))
        using (Conditioning.On(frozen, labels?.OfZ))
        {
            fz = f.forward(z);                               // (B, C, H, W)
            fzDetached = fz.detach();                        // (B, C, H, W), the tightness path's input
            idemPerSample = PerSample(frozen.forward(fz), fz);                  // (B)
            tightPerSample = -PerSample(f.forward(fzDetached), fzDetached);     // (B), ≤ 0
        }
        var recPerSample = PerSample(fx, recTarget);         // (B)

        if (Config.Clamp == TightnessClamp.Tanh)
            tightPerSample = ClampTightness(tightPerSample, ClampScaleOf(recPerSample, fzDetached, z));

        var terms = new Tensor?[LossTerms.All.Count];
        terms[LossTerms.Reconstruction.Index] = recPerSample.mean();
        terms[LossTerms.Idempotence.Index] = idemPerSample.mean();
        terms[LossTerms.Tightness.Index] = tightPerSample.mean();
        if (ffx is not null) terms[LossTerms.ReconstructionTwice.Index] = PerSample(ffx, recTarget).mean();
        if (Config.LambdaWrongClass > 0)
        {
            var wrongLabels = labels?.WrongForX ?? throw new ArgumentException("λ_w > 0 needs x's wrong classes");
            Tensor fxWrong;
            using (Conditioning.On(f, wrongLabels)) fxWrong = f.forward(x);                  // (B, C, H, W)
            terms[LossTerms.WrongClass.Index] =
                ClampTightness(-PerSample(fxWrong, x), recPerSample.detach()).mean();          // (), ≤ 0
        }
        if (Config.LambdaClassGuide > 0)
            terms[LossTerms.ClassGuide.Index] = GuideLoss(classGuide!, fz, labels!.OfZ, Conditioning.ClassesOf(f));
        if (withMean)                                                   // (), fz.mean: (C, H, W)
            terms[LossTerms.MeanMatch.Index] = (fz.mean([0L]) - dataMean!).square().mean();
        if (UsesOffData)
        {
            // c(x) comes from x's first rows, so it gets their classes (a conditional f restores toward its class)
            var offLabels = labels?.OfX.narrow(0, 0, offData!.Corrupted.shape[0]);         // (k)
            using var onF = Conditioning.On(f, offLabels);
            using var onFrozen = Conditioning.On(frozen, offLabels);
            // λ_p alone needs f(c) only as a constant: no graph through the first application
            Tensor fc;
            using (TrainsOffDataFirstApplication ? null : no_grad()) fc = f.forward(offData!.Corrupted); // (k, C, H, W)
            terms[LossTerms.Restoration.Index] = PerSample(fc, offData.Clean).mean();          // (), a distance: cheap
            if (Config.LambdaOffDataIdem > 0)                                                 // another forward pass
                terms[LossTerms.OffDataIdempotence.Index] = PerSample(frozen.forward(fc), fc).mean();
            if (Config.LambdaRestoreTwice > 0)
                terms[LossTerms.RestorationTwice.Index] = PerSample(f.forward(fc), offData.Clean).mean();
            if (Config.LambdaRestoreProjected > 0)                                       // (k, C, H, W), f(f^k(c)^sg)
                terms[LossTerms.RestorationOfProjection.Index] =
                    PerSample(f.forward(AppliedAgain(f, fc)), offData.Clean).mean();
        }
        if (Config.LambdaContract > 0)
            using (Conditioning.On(f, labels is null ? null : cat([labels.OfX, labels.OfX])))
            using (var scalars = new HeldScalars())
            {
                float bound = Config.ContractBound;
                terms[LossTerms.Contraction.Index] =
                    GainSquared(f, x, fx).sub(scalars.Of(bound * bound)).relu().mean();           // (), ≥ 0
            }
        return new IgnLosses(WeightedSum(terms, tightnessScale, meanScale), terms);
    }

    /// <summary>The mean cross-entropy of g's logits on f(z | y) against y over the rows whose y is a class (not the
    /// null label <paramref name="nullLabel"/>); 0 when every row has the null label.</summary>
    private static Tensor GuideLoss(Module<Tensor, Tensor> guide, Tensor fz, Tensor classes, int nullLabel)
    {
        using var scalars = new HeldScalars();
        var classed = classes.ne(scalars.Of((long)nullLabel));                          // (B) bool
        var target = classes.masked_fill(classed.logical_not(), scalars.Of(0L));        // (B), null rows read as 0
        var perRow = functional.cross_entropy(guide.forward(fz), target, reduction: Reduction.None); // (B)
        var weight = classed.to(perRow.dtype);                                          // (B), 1 on classed rows
        return (perRow * weight).sum() / weight.sum().clamp_min(scalars.Of(1.0));       // ()
    }

    /// <summary>Per image, the squared gain ‖f(x + εv) − f(x)‖² / ‖εv‖² of a step εv of ε per pixel (root mean
    /// square), along a random v ~ N(0, 1) (a one-sample estimate of ‖J_f(x)‖²_F over the pixel count) or along f's
    /// residual f(x) − x (whether f's reconstruction error shrinks under a further application). Both applications
    /// run as one batch without dropout: BatchNorm normalises them with the same statistics and both see the same
    /// network, so the difference is f's answer to the step alone (apart, the step's variance would shift every
    /// statistic; with dropout, two masks would differ by about 0.16 per pixel whatever ε, and read as a gain of
    /// 0.16 / ε).</summary>
    private Tensor GainSquared(Module<Tensor, Tensor> f, Tensor x, Tensor fx)
    {
        using var scalars = new HeldScalars();
        long b = x.shape[0];
        var direction = Config.ContractAlong == ContractDirection.Random
            ? SeededDraws.Normal(x.shape, x.device, null, x.dtype)          // (B, C, H, W), v ~ N(0, 1)
            : UnitRms(fx.detach() - x);                                     // (B, C, H, W), f(x) − x, 1 per pixel
        var step = direction.mul_(scalars.Of(Config.ContractStep));       // (B, C, H, W), εv
        Tensor both;
        using (DropoutPause.On(f)) both = f.forward(cat([x, x + step]));  // (2B, C, H, W)
        var moved = both.narrow(0, b, b) - both.narrow(0, 0, b);           // (B, C, H, W), ≈ J_f(x)·εv
        // (B); a zero step (f(x) = x exactly, along the residual) has no gain to measure: 0, not 0/0
        return moved.square().flatten(1).sum([1L]) / step.square().flatten(1).sum([1L]).clamp_min(scalars.Of(1e-12));
    }

    /// <summary>Images v scaled to a root mean square of 1 per pixel, each on its own: (B, C, H, W) → (B, C, H, W).
    /// </summary>
    private static Tensor UnitRms(Tensor v)
    {
        using var scalars = new HeldScalars();
        var rms = v.square().flatten(1).mean([1L]).sqrt().clamp_min(scalars.Of(1e-8));  // (B)
        return v / rms.view(-1, 1, 1, 1);                                                 // (B, C, H, W)
    }

    /// <summary>Σ λ·term over the computed terms, in the table's order, op for op (λ_t and λ_m scaled by their
    /// schedules).</summary>
    private Tensor WeightedSum(Tensor?[] terms, double tightnessScale, double meanScale)
    {
        using var scalars = new HeldScalars();
        Tensor? total = null;
        foreach (var term in LossTerms.All)
        {
            if (terms[term.Index] is not { } value) continue;
            double scale = term == LossTerms.Tightness ? tightnessScale : term == LossTerms.MeanMatch ? meanScale : 1;
            var weighted = value.mul(scalars.Of(term.Weight(Config) * scale));
            total = total is null ? weighted : total.add(weighted, scalars.Of(1));
        }
        return total!;
    }

    /// <summary>f^k(v)^sg from f(v): the first application detached, then k − 1 more without gradient.</summary>
    private Tensor AppliedAgain(Module<Tensor, Tensor> f, Tensor once)
    {
        var applied = once.detach();                                                        // (B, C, H, W)
        using var noGradient = no_grad();
        for (int k = 1; k < RefineDepth; k++) applied = f.forward(applied);
        return applied;
    }

    /// <summary>True when λ_s, λ_o, λ_2 or λ_p is on, so a step needs corrupted training images.</summary>
    public bool UsesOffData => TrainsOffDataFirstApplication || Config.LambdaRestoreProjected > 0;

    /// <summary>True when λ_s, λ_o or λ_2 is on: their gradient reaches f(c) itself, so f(c) needs a graph.</summary>
    private bool TrainsOffDataFirstApplication =>
        Config.LambdaRestore > 0 || Config.LambdaOffDataIdem > 0 || Config.LambdaRestoreTwice > 0;

    /// <summary>D reduced over every dimension but the batch: (B, ...) → (B).</summary>
    public Tensor PerSample(Tensor a, Tensor b)
    {
        var diff = a - b;
        var pointwise = Config.Distance == Distance.L1 ? diff.abs() : diff.square();
        return pointwise.flatten(1).mean([1L]);
    }

    /// <summary>tanh(L/(a·s))·a·s, per sample: bounded by a·s in magnitude, ≈ L where |L| ≪ a·s.</summary>
    public Tensor ClampTightness(Tensor tightPerSample, Tensor scalePerSample)
    {
        using var scalars = new HeldScalars();
        // (B), a · max(scale, 1e-6)
        var bound = scalePerSample.clamp_min(scalars.Of(1e-6)).mul(scalars.Of(Config.ClampA));
        return (tightPerSample / bound).tanh() * bound;
    }

    private Tensor ClampScaleOf(Tensor recPerSample, Tensor fzDetached, Tensor z) => Config.Scale switch
    {
        ClampScale.Reconstruction => recPerSample,
        ClampScale.ReconstructionDetached => recPerSample.detach(),
        ClampScale.Noise => PerSample(fzDetached, z),
        _ => throw new ArgumentOutOfRangeException(nameof(Config.Scale)),
    };
}
