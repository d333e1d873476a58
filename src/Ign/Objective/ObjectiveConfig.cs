using Ign.Configuration;

namespace Ign.Objective;

/// <summary>The distance D between two images, reduced per sample by a mean over pixels.</summary>
public enum Distance { L1, L2 }

/// <summary>The direction of λ_c's step off a real image x: a random one (v ~ N(0, 1) per pixel), or f's own
/// residual f(x) − x, the direction a further application of f moves its reconstruction in.</summary>
public enum ContractDirection { Random, Residual }

/// <summary>How the tightness term is bounded (paper: tanh with a = 1.5; seed 002: none).</summary>
public enum TightnessClamp { None, Tanh }

/// <summary>
/// The per-sample scale s_i of the tanh clamp.
/// Reconstruction: s_i = D(f(x_i), x_i) with gradient (the authors' code, our default);
/// ReconstructionDetached: the same value without gradient;
/// Noise: s_i = D(f(z_i), z_i) on the detached f(z), so the tightness path never reaches the inner f(z).
/// </summary>
public enum ClampScale { Reconstruction, ReconstructionDetached, Noise }

/// <summary>Weights and options of the IGN loss; the defaults are the default recipe's (`tuned`: seed 002 with λ_t
/// doubled),
/// <see cref="Paper"/> and <see cref="Seed002"/> name the other two.</summary>
public sealed record ObjectiveConfig
{
    [Knob("--distance", "D, the distance between images, a mean over pixels per sample (paper, seed 002: l1)")]
    public Distance Distance { get; init; } = Distance.L1;

    [Knob("--lambda-rec", "λ_r, weight of the reconstruction loss D(f(x), x)")]
    public float LambdaRec { get; init; } = 20f;

    [Knob("--lambda-idem", "λ_i, weight of the idempotence loss D(f'(f(z)), f(z))")]
    public float LambdaIdem { get; init; } = 20f;

    [Knob("--lambda-tight", "λ_t, weight of the tightness loss -D(f(f(z)^sg), f(z)^sg) (paper, seed 002: 2.5)")]
    public float LambdaTight { get; init; } = 5f;

    [Knob("--lambda-mean", "λ_m, weight of ‖mean of a batch of f(z) − the data's mean image‖²: " +
                           "a pull on the mix of what f makes (not in the paper; 0 = off); " +
                           "may be added when resuming, with --mean-from",
          OnResume = OnResume.FromCheckpointStep)]
    public float LambdaMean { get; init; } = 0f;

    [Knob("--lambda-restore", "λ_s, weight of D(f(c(x)), x) on corrupted training images c(x) (noise, occlusion, " +
                              "salt and pepper, sketch, low resolution, blur in turn): f taught to restore " +
                              "(not in the paper; 0 = off)",
          OnResume = OnResume.FromCheckpointStep)]
    public float LambdaRestore { get; init; } = 0f;

    [Knob("--lambda-offdata-idem", "λ_o, weight of D(f'(f(c)), f(c)) on the same corrupted images: idempotence " +
                                   "off the data, without tightness (not in the paper; 0 = off)",
          OnResume = OnResume.FromCheckpointStep)]
    public float LambdaOffDataIdem { get; init; } = 0f;

    [Knob("--lambda-restore-twice", "λ_2, weight of D(f(f(c(x))), x) on the same corrupted images, through both " +
                                    "applications: f∘f restores too (not in the paper; 0 = off)",
          OnResume = OnResume.FromCheckpointStep)]
    public float LambdaRestoreTwice { get; init; } = 0f;

    [Knob("--lambda-restore-projected", "λ_p, weight of D(f(f(c(x))^sg), x) on the same corrupted images: f " +
                                        "applied to its own projection of c(x) brings it nearer the clean x, " +
                                        "gradient through the outer f only, so a second application refines the " +
                                        "first (not in the paper; 0 = off)",
          OnResume = OnResume.FromCheckpointStep)]
    public float LambdaRestoreProjected { get; init; } = 0f;

    [Knob("--lambda-rec-twice", "λ_rr, weight of D(f(f(x)^sg), x): f applied to its own reconstruction of a real " +
                                "image gives the image back, gradient through the outer f only, so real images " +
                                "stay put under f∘f (not in the paper; 0 = off)",
          OnResume = OnResume.FromCheckpointStep)]
    public float LambdaRecTwice { get; init; } = 0f;

    [Knob("--refine-depth", "K: λrr and λp apply the outer f to f's k-th application instead of its first, " +
                            "k drawn from 1 … K each step: D(f(f^k(x)^sg), x) and D(f(f^k(c(x))^sg), x), so every " +
                            "further application refines, not only the second (not in the paper; 1 = off)",
          OnResume = OnResume.FromCheckpointStep)]
    public int RefineDepth { get; init; } = 1;

    [Knob("--lambda-contract", "λ_c, weight of max(0, ‖f(x + εv) − f(x)‖² / ‖εv‖² − ρ²) on real images x, " +
                               "v a direction (--contract-along), both applications in one batch without " +
                               "dropout and both with gradient: f contracts around the data, so that its fixed " +
                               "points there attract (not in the paper; 0 = off)")]
    public float LambdaContract { get; init; } = 0f;

    [Knob("--contract-step", "ε, the root-mean-square per pixel of λ_c's step off each real image")]
    public float ContractStep { get; init; } = 0.1f;

    [Knob("--contract-along", "the direction of λ_c's step: random (v ~ N(0, 1)), or residual (f(x) − x, " +
                              "detached, scaled to ε per pixel: the direction f's walk on real images starts in)")]
    public ContractDirection ContractAlong { get; init; } = ContractDirection.Random;

    [Knob("--contract-bound", "ρ, the gain ‖f(x + εv) − f(x)‖ / ‖εv‖ that λ_c lets pass (0: it shrinks every gain)")]
    public float ContractBound { get; init; } = 0f;

    [Knob("--lambda-wrong-class", "λ_w, weight of −D(f(x | y'), x) bounded by the tanh clamp, y' a class other " +
                                  "than the real image's: x is not a fixed point under another class's label " +
                                  "(--conditional; not in the paper; 0 = off)")]
    public float LambdaWrongClass { get; init; } = 0f;

    [Knob("--lambda-class-guide", "λ_g, weight of the cross-entropy of a frozen classifier (--class-guide) on " +
                                  "f(z | y) against y, over the rows with a class: asks f for the class it is " +
                                  "given, as an auxiliary classifier does (--conditional; not in the paper; 0 = off)")]
    public float LambdaClassGuide { get; init; } = 0f;

    [Knob("--clamp", "how the tightness term is bounded (paper: tanh; seed 002: none)")]
    public TightnessClamp Clamp { get; init; } = TightnessClamp.None;

    [Knob("--clamp-a", "a in tanh(L/(a·s))·a·s (paper: 1.5; 0.5 is reported to collapse)")]
    public float ClampA { get; init; } = 1.5f;

    [Knob("--clamp-scale", "which s_i the tanh clamp uses")]
    public ClampScale Scale { get; init; } = ClampScale.Reconstruction;

    /// <summary>λ_s, λ_o, λ_2, λ_p and λ_rr: the terms that teach f to project (Make It Real), which may start late
    /// (TrainConfig.ProjectionTermsFrom).</summary>
    public (float, float, float, float, float) ProjectionWeights() =>
        (LambdaRestore, LambdaOffDataIdem, LambdaRestoreTwice, LambdaRestoreProjected, LambdaRecTwice);

    /// <summary>This objective with the projection terms off.</summary>
    public ObjectiveConfig WithoutProjectionTerms() => this with
    {
        LambdaRestore = 0, LambdaOffDataIdem = 0, LambdaRestoreTwice = 0, LambdaRestoreProjected = 0,
        LambdaRecTwice = 0,
    };

    /// <summary>The paper's objective: λ_t 2.5 and the tanh clamp with a = 1.5.</summary>
    public static readonly ObjectiveConfig Paper = new() { LambdaTight = 2.5f, Clamp = TightnessClamp.Tanh };

    /// <summary>Seed 002's: λ_t 2.5 and no clamp.</summary>
    public static readonly ObjectiveConfig Seed002 = new() { LambdaTight = 2.5f, Clamp = TightnessClamp.None };
}
