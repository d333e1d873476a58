using TorchSharp;

namespace Ign.Runtime;

/// <summary>
/// Scalars that stay alive until this holder is disposed. TorchSharp converts a number to a <see cref="Scalar"/>
/// implicitly (even the alpha of every Tensor + Tensor) and leaves it to the finalizer; the native call then holds
/// only the raw handle, so a garbage collection started by another thread during the call can free the Scalar while
/// libtorch still reads it. Seen as "Unknown scalar type" after 860 steps of an emoji run; it could as well be a
/// silently wrong number. Code that runs for hours or on server threads (the training step, the optimizer, the weight
/// average, priors, corruptions, image conversion) takes its Scalars from here.
/// </summary>
public sealed class HeldScalars : IDisposable
{
    private readonly List<Scalar> held = [];

    /// <summary>A Scalar of <paramref name="value"/> that lives until <see cref="Dispose"/>.</summary>
    public Scalar Of(double value) => Hold(value.ToScalar());

    /// <summary>An integer Scalar (what an int literal converts to implicitly: integer tensors stay integer).</summary>
    public Scalar Of(long value) => Hold(value.ToScalar());

    private Scalar Hold(Scalar scalar)
    {
        held.Add(scalar);
        return scalar;
    }

    public void Dispose()
    {
        foreach (var scalar in held) scalar.Dispose();
        held.Clear();
    }
}
