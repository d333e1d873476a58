using System.Globalization;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Cli.Commands;

/// <summary>The --class option of generate and project: a class of a conditional model, "all", "random", or none.
/// </summary>
internal static class ClassChoice
{
    /// <summary>
    /// Labels for <paramref name="count"/> images of the class given, for count images of every class in turn
    /// ("all": class-major, count × classes labels), or for count images each of a class drawn uniformly
    /// ("random", from <paramref name="seed"/>; unconditional samples that go through the classes, not the null
    /// class); null when no class is given.
    /// </summary>
    public static Tensor? Labels(TrainedModel model, string? text, int count, bool allowSeveral = true, int seed = 0)
    {
        if (text is null) return null;
        if (model.Classes == 0)
            throw new ArgumentException("--class needs a class-conditional model (train one with --conditional)");
        if (allowSeveral && Is(text, "all"))
            return cat(Enumerable.Range(0, model.Classes).Select(c => model.ClassLabels(c, count)).ToList(), 0);
        if (allowSeveral && Is(text, "random"))
        {
            // a generator of their own, so that z is the z of the same seed without --class
            using var generator = new Generator((ulong)seed + 1);
            return randint(model.Classes, [count], dtype: ScalarType.Int64, generator: generator).to(model.Device);
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int label))
            throw new ArgumentException($"--class must be a class number 0 to {model.Classes - 1}"
                + $"{(allowSeveral ? ", all or random" : "")}, got '{text}'");
        return model.ClassLabels(label, count);
    }

    private static bool Is(string text, string word) => text.Equals(word, StringComparison.OrdinalIgnoreCase);

    public static string Describe(string? text) => text switch
    {
        null => "",
        _ when Is(text, "all") => " (a row per class)",
        _ when Is(text, "random") => " (each of a class drawn at random)",
        _ => $" of class {text}",
    };
}
