using static TorchSharp.torch;

namespace Ign.Corruptions;

/// <summary>
/// A degradation c(x) of images in [-1, 1]: what "Make It Real" hands to f. Output has the input's shape
/// and range; randomness comes only from the given generator, so a seed reproduces it.
/// </summary>
public interface ICorruption
{
    /// <summary>
    /// The canonical spec with every parameter, e.g. "noise:sigma=0.3"; parsing it gives the same corruption.
    /// </summary>
    string Spec { get; }

    Tensor Apply(Tensor x, Generator? generator = null); // (B, C, H, W) -> (B, C, H, W)
}

/// <summary>A corruption that knows which pixels it left as they were, so inpainting can keep them.</summary>
public interface IMaskedCorruption : ICorruption
{
    /// <summary>c(x) and the known pixels: (B, 1, H, W), 1 where c(x) = x, 0 where c replaced the image.</summary>
    (Tensor Corrupted, Tensor Known) ApplyWithMask(Tensor x, Generator? generator = null);
}

/// <summary>Corruptions applied one after the other ("noise:0.3+occlude:8").</summary>
public sealed class CorruptionChain(IReadOnlyList<ICorruption> parts) : ICorruption
{
    public IReadOnlyList<ICorruption> Parts { get; } = parts;
    public string Spec => string.Join("+", Parts.Select(p => p.Spec));

    public Tensor Apply(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        foreach (var part in Parts) x = part.Apply(x, generator);
        return x.MoveToOuterDisposeScope();
    }
}
