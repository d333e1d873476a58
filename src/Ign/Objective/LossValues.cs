using System.Globalization;

namespace Ign.Objective;

/// <summary>
/// The losses of one step as numbers: the unweighted terms and the weighted total (an optional term 0 while it is off).
/// Read from <see cref="IgnLosses"/> once per step, then shown, logged and plotted as they are.
/// </summary>
public sealed record LossValues(
    float Total, float Reconstruction, float Idempotence, float Tightness, float MeanMatch = 0,
    float Restoration = 0, float OffDataIdempotence = 0, float RestorationTwice = 0,
    float ReconstructionTwice = 0, float WrongClass = 0)
{
    public static readonly LossValues Zero = new(0, 0, 0, 0);

    public bool AllFinite => new[]
        {
            Total, Reconstruction, Idempotence, Tightness, MeanMatch, Restoration, OffDataIdempotence,
            RestorationTwice, ReconstructionTwice, WrongClass,
        }
        .All(float.IsFinite);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"total {Total}, rec {Reconstruction}, idem {Idempotence}, tight {Tightness}"
        + $"{(MeanMatch != 0 ? $", mean {MeanMatch}" : "")}"
        + $"{(Restoration != 0 ? $", restore {Restoration}" : "")}"
        + $"{(OffDataIdempotence != 0 ? $", offidem {OffDataIdempotence}" : "")}"
        + $"{(RestorationTwice != 0 ? $", restore2 {RestorationTwice}" : "")}"
        + $"{(ReconstructionTwice != 0 ? $", rec2 {ReconstructionTwice}" : "")}"
        + $"{(WrongClass != 0 ? $", wrong {WrongClass}" : "")}");
}
