using Ign.Models;
using Ign.Objective;
using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Training;

/// <summary>The classes a conditional step trains with: x's own, and uniform ones asked of z; each replaced by the
/// null class at the null-label rate. Drawn from torch's seeded generator, so a resumed run draws the same.</summary>
public static class ClassDraws
{
    /// <param name="ofX">the batch's classes (B) int64</param>
    /// <param name="wrongClasses">also draw, per image, a class other than its own (for λ_w); drawn after the rest,
    /// so a run without them draws as before</param>
    public static ClassLabels ForStep(Tensor ofX, int classes, double nullRate, Device device,
                                      bool wrongClasses = false)
    {
        long batch = ofX.shape[0];
        var own = ofX.cpu();                                                         // (B)
        var ofZ = randint(classes, [batch], dtype: ScalarType.Int64);                // (B), on the CPU
        var labels = new ClassLabels(Conditioning.DropToNull(own, classes, nullRate).to(device),
            Conditioning.DropToNull(ofZ, classes, nullRate).to(device));
        return wrongClasses ? labels with { WrongForX = OtherThan(own, classes).to(device) } : labels;
    }

    /// <summary>Per label, a uniformly drawn class other than it: (y + k) mod classes, k uniform in 1 … classes − 1.
    /// </summary>
    /// <param name="labels">(B) int64 in [0, classes)</param>
    public static Tensor OtherThan(Tensor labels, int classes)
    {
        if (classes < 2) throw new ArgumentException("a class other than the image's needs at least two classes");
        using var scalars = new HeldScalars();
        var shift = randint(1, classes, labels.shape, dtype: ScalarType.Int64);      // (B), 1 … classes − 1
        return labels.add(shift).remainder(scalars.Of((long)classes));               // (B)
    }
}
