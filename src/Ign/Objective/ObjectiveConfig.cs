namespace Ign.Objective;

/// <summary>The distance D between two images, reduced per sample by a mean over pixels.</summary>
public enum Distance { L1, L2 }

/// <summary>How the tightness term is bounded (paper: tanh with a = 1.5; seed 002: none).</summary>
public enum TightnessClamp { None, Tanh }

/// <summary>
/// The per-sample scale s_i of the tanh clamp.
/// Reconstruction: s_i = D(f(x_i), x_i) with gradient (the authors' code, our default);
/// ReconstructionDetached: the same value without gradient;
/// Noise: s_i = D(f(z_i), z_i) on the detached f(z), so the tightness path never reaches the inner f(z).
/// </summary>
public enum ClampScale { Reconstruction, ReconstructionDetached, Noise }

/// <summary>Weights and options of the IGN loss; defaults are the paper's.</summary>
public sealed record ObjectiveConfig
{
    public Distance Distance { get; init; } = Distance.L1;        // D: mean L1 (paper, seed)
    public float LambdaRec { get; init; } = 20f;                  // λr, weight of D(f(x), x)
    public float LambdaIdem { get; init; } = 20f;                 // λi, weight of D(f'(f(z)), f(z))
    public float LambdaTight { get; init; } = 2.5f;               // λt, weight of -D(f(f(z)^sg), f(z)^sg)
    public float LambdaMean { get; init; } = 0f;                  // λm, weight of ‖mean_B f(z) − μ_data‖² (not in the paper: a pull on the mix of what f makes; 0 = off)
    public TightnessClamp Clamp { get; init; } = TightnessClamp.Tanh; // paper's tanh clamp; seed 002 uses None
    public float ClampA { get; init; } = 1.5f;                    // a in tanh(L/(a·s))·a·s; a = 0.5 is reported to collapse
    public ClampScale Scale { get; init; } = ClampScale.Reconstruction; // which s_i the clamp uses
}
