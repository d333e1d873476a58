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
    public static ClassLabels ForStep(Tensor ofX, int classes, double nullRate, Device device)
    {
        long batch = ofX.shape[0];
        var ofZ = randint(classes, [batch], dtype: ScalarType.Int64);                // (B), on the CPU
        return new ClassLabels(Conditioning.DropToNull(ofX.cpu(), classes, nullRate).to(device),
            Conditioning.DropToNull(ofZ, classes, nullRate).to(device));
    }
}
