using System.CommandLine;
using Ign.Corruptions;

namespace Ign.Cli.Commands;

/// <summary>The pair of options `ign export` and `ign average` share, read and checked together: --recalibrate-bn N
/// (batches per kind of input on which BatchNorm statistics are recomputed) and --image-kinds (corruptions whose
/// images get statistics of their own).</summary>
internal sealed class RecalibrationOptions(int defaultBatches, string batchesHelp)
{
    public Option<int> Batches { get; } = Opt.With("--recalibrate-bn", defaultBatches, batchesHelp);

    public Option<string?> ImageKinds { get; } = Opt.Of<string?>("--image-kinds",
        "with --recalibrate-bn, corruptions whose images get BatchNorm statistics of their own, comma-separated " +
        "(e.g. lowres,sketch): `ign project --input-kind KIND` and `ign evaluate` use them for inputs of that kind");

    /// <summary>The batches (0–10 000) and the kinds (null when none); a kind without batches is a one-line error.
    /// </summary>
    public (int Batches, IReadOnlyList<ICorruption>? Kinds) Read(ParseResult parse)
    {
        int batches = parse.GetValue(Batches);
        if (batches is < 0 or > 10_000) throw new ArgumentException("--recalibrate-bn must be between 0 and 10000");
        var kinds = parse.GetValue(ImageKinds) is { } list ? CorruptionParser.ParseList(list) : null;
        if (kinds is { Count: > 0 } && batches == 0)
            throw new ArgumentException("--image-kinds needs --recalibrate-bn N (when the statistics are made)");
        return (batches, kinds);
    }
}
