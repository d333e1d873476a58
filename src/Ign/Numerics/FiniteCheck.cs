using static TorchSharp.torch;

namespace Ign.Numerics;

/// <summary>The refusal behind "no silent garbage": an image or gradient holding NaN or ±∞ stops the command with
/// one line instead of becoming a black picture, a NaN score or a corrupted checkpoint.</summary>
public static class FiniteCheck
{
    public static void Require(Tensor values, string what)
    {
        using var scope = NewDisposeScope();
        long bad = values.isfinite().logical_not().sum().item<long>();
        if (bad > 0)
            throw new NumericsException($"{what}: {bad} of {values.numel()} values are NaN or infinite; " +
                                        "refusing to use them " +
                                        "(a numerics fault: `ign doctor` checks this CPU's convolutions)");
    }
}
