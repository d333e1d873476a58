using System.Globalization;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Cli.Commands;

/// <summary>The --class option of generate and project: a class of a conditional model, "all", or none.</summary>
internal static class ClassChoice
{
    /// <summary>
    /// Labels for <paramref name="count"/> images of the class given, or for count images of every class in turn
    /// ("all": class-major, count × classes labels); null when no class is given.
    /// </summary>
    public static Tensor? Labels(TrainedModel model, string? text, int count, bool allowAll = true)
    {
        if (text is null) return null;
        if (model.Classes == 0)
            throw new ArgumentException("--class needs a class-conditional model (train one with --conditional)");
        if (allowAll && text.Equals("all", StringComparison.OrdinalIgnoreCase))
            return cat(Enumerable.Range(0, model.Classes).Select(c => model.ClassLabels(c, count)).ToList(), 0);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int label))
            throw new ArgumentException($"--class must be a class number 0 to {model.Classes - 1}"
                + $"{(allowAll ? " or all" : "")}, got '{text}'");
        return model.ClassLabels(label, count);
    }

    public static string Describe(string? text) => text switch
    {
        null => "",
        _ when text.Equals("all", StringComparison.OrdinalIgnoreCase) => " (a row per class)",
        _ => $" of class {text}",
    };
}
