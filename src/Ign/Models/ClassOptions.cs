namespace Ign.Models;

/// <summary>
/// How a <see cref="CodeNetwork"/> is conditioned on a class: the one record its constructors, the model factory,
/// the trainer and a loaded model pass along (a training config's <c>ClassOptionsOf()</c>).
/// </summary>
public sealed record ClassOptions
{
    /// <summary>An unconditional network.</summary>
    public static readonly ClassOptions None = new();

    /// <summary>The classes (0: unconditional); label Classes is the null label, "no class".</summary>
    public int Classes { get; init; }

    /// <summary>What the class tables' rows are multiplied by when read (<see cref="CodeNetwork.TableGain"/>).
    /// </summary>
    public double TableGain { get; init; } = CodeNetwork.DefaultTableGain;

    /// <summary>What the null class's row is multiplied by (null: <see cref="TableGain"/>).</summary>
    public double? NullRowGain { get; init; }

    /// <summary>The hidden width of the code's shift by label (0: none; <see cref="CodeNetwork.CodeMlpWidth"/>).
    /// </summary>
    public int CodeMlp { get; init; }

    /// <summary>Whether each label scales and shifts the decoder's normalisations.</summary>
    public bool NormTables { get; init; } = true;

    /// <summary>Whether the classes get an encoder of their own (<see cref="CodeNetwork.HasClassEncoder"/>), the null
    /// class keeping the network's.</summary>
    public bool OwnEncoder { get; init; }

    /// <summary>Whether the classes get a decoder of their own (<see cref="CodeNetwork.HasClassDecoder"/>), the null
    /// class keeping the network's.</summary>
    public bool OwnDecoder { get; init; }

    /// <summary>Shorthand for a conditional network with the default tables.</summary>
    public static implicit operator ClassOptions(int classes) => new() { Classes = classes };

    /// <summary>Refuses options no network can be built with, in one line.</summary>
    public void Validate()
    {
        if (Classes < 0) throw new ArgumentException($"classes must be ≥ 0, got {Classes}");
        if (CodeMlp < 0) throw new ArgumentException($"the code's shift by label needs a width ≥ 0, got {CodeMlp}");
        foreach (double gain in new[] { TableGain, NullRowGain ?? TableGain })
            if (!CodeNetwork.IsValidGain(gain))
                throw new ArgumentException($"the class tables' gain must be positive, got {gain}");
    }
}
