using static TorchSharp.torch;

namespace Ign.Corruptions;

/// <summary>
/// What a Make-It-Real row does with a corrupted image: project it with f, or, written "inpaint SPEC", keep the
/// pixels the corruption left and let f fill the rest (<see cref="IMaskedCorruption"/>).
/// </summary>
public sealed record ProjectionSpec(ICorruption Corruption, bool Inpaint)
{
    private const string InpaintPrefix = "inpaint ";

    public string Spec => Inpaint ? Inpainted(Corruption.Spec) : Corruption.Spec;

    /// <summary>The row that inpaints what <paramref name="corruptionSpec"/> hides.</summary>
    public static string Inpainted(string corruptionSpec) => InpaintPrefix + corruptionSpec;

    /// <summary>True for an inpainting row's name (its <see cref="Spec"/>, or that with a note after it).</summary>
    public static bool IsInpainting(string rowName) => rowName.StartsWith(InpaintPrefix, StringComparison.Ordinal);

    /// <summary>c(x), and when inpainting the pixels it kept: (B, 1, H, W), 1 where c(x) = x.</summary>
    public (Tensor Corrupted, Tensor? Known) Apply(Tensor x, Generator? generator = null) =>
        Inpaint && Corruption is IMaskedCorruption masked
            ? masked.ApplyWithMask(x, generator)
            : (Corruption.Apply(x, generator), null);

    public static ProjectionSpec Parse(string text)
    {
        bool inpaint = text.StartsWith(InpaintPrefix, StringComparison.OrdinalIgnoreCase);
        var corruption = CorruptionParser.Parse(inpaint ? text[InpaintPrefix.Length..].Trim() : text);
        if (inpaint && corruption is not IMaskedCorruption)
            throw new ArgumentException($"'{text}': inpainting needs a corruption that knows its pixels (occlude)");
        return new ProjectionSpec(corruption, inpaint);
    }
}
