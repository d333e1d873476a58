using Ign.Corruptions;
using static TorchSharp.torch;

namespace Ign.Training;

/// <summary>
/// Corrupted training images c(x) for the recipe's off-data options (not in the paper; issue 24): part of each batch's
/// z (`--z-corrupted`, so idempotence and tightness also act where Make It Real sends f) and the batch of the off-data
/// terms (`--lambda-restore`, ...). The corruption changes every step, in a fixed cycle, so every kind is seen equally.
/// </summary>
public static class TrainingCorruptions
{
    /// <summary>The cycle of corruptions: those `ign evaluate` measures, and blur and low resolution.</summary>
    public static readonly IReadOnlyList<ICorruption> Cycle =
    [
        .. new[] { "noise:sigma=0.6", "occlude:size=10", "saltpepper:amount=0.2", "sketch", "lowres:size=7",
                   "blur:sigma=1" }.Select(CorruptionParser.Parse),
    ];

    /// <summary>z with its first round(fraction · B) rows replaced by c(x) of as many rows of x, c the step's.
    /// </summary>
    public static Tensor Mix(Tensor z, Tensor x, double fraction, long step)
    {
        int count = (int)Math.Round(fraction * z.shape[0]);
        if (count == 0) return z;
        var corrupted = At(Cycle, step).Apply(x.narrow(0, 0, count));                      // (k, C, H, W)
        return cat([corrupted, z.narrow(0, count, z.shape[0] - count)], 0);                 // (B, C, H, W)
    }

    /// <summary>The off-data terms' cycle: the same, and an erasing square (a hole of background, as inpainting
    /// starts its holes), so restoration also learns to complete strokes.</summary>
    public static readonly IReadOnlyList<ICorruption> OffDataCycle =
        [.. Cycle, CorruptionParser.Parse("occlude:size=10,fill=-1")];

    /// <summary>The first max(1, round(fraction · B)) rows of x, corrupted by the step's corruption of
    /// <see cref="OffDataCycle"/>, with the clean rows they came from: the off-data terms' batch.</summary>
    /// <param name="cycle">the corruptions to cycle through (null: <see cref="OffDataCycle"/>)</param>
    public static Objective.CorruptedBatch Take(Tensor x, double fraction, long step,
                                                IReadOnlyList<ICorruption>? cycle = null)
    {
        int count = (int)Math.Clamp(Math.Round(fraction * x.shape[0]), 1, x.shape[0]);
        var clean = x.narrow(0, 0, count);                                                   // (k, C, H, W)
        return new Objective.CorruptedBatch(At(cycle ?? OffDataCycle, step).Apply(clean), clean);
    }

    /// <summary>The off-data cycle a run asks for (--offdata-corruptions), or the default one when it names none.
    /// </summary>
    public static IReadOnlyList<ICorruption> OffDataCycleOf(string specs) =>
        CorruptionParser.ParseList(specs) is { Count: > 0 } cycle ? cycle : OffDataCycle;

    /// <summary>The corruption of <paramref name="cycle"/> for optimizer step <paramref name="step"/>.</summary>
    public static ICorruption At(IReadOnlyList<ICorruption> cycle, long step) => cycle[(int)(step % cycle.Count)];
}
