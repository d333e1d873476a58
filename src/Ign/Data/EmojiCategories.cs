namespace Ign.Data;

/// <summary>
/// The category of each embedded emoji (People &amp; Body, Flags, Food &amp; Drink, ...), from emoji.json of the npm
/// package emoji-datasource@16.0.0, one a line in the embedded set's order (data/emoji/*.categories.txt, rebuilt by
/// tools/fetch-emoji-categories.sh): what mode coverage is measured by.
/// </summary>
public sealed record EmojiCategories(string[] Names, int[] Train, int[] Test)
{
    public const string FileName = "emoji-google-64.categories.txt";

    /// <summary>The categories of the embedded set, split as <see cref="EmojiSet.LoadEmbeddedEmoji"/> splits the
    /// images; null when this installation lacks the file.</summary>
    public static EmojiCategories? LoadEmbedded() =>
        EmbeddedData.Find(EmojiSet.Folder, FileName) is { } path ? Load(path) : null;

    public static EmojiCategories Load(string path)
    {
        var lines = File.ReadAllLines(path).Where(line => line.Length > 0).ToArray();
        if (lines.Length != EmojiSet.Count)
            throw new InvalidDataException($"{path}: {lines.Length} categories for the {EmojiSet.Count} emoji");
        var names = lines.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = lines.Select(line => Array.IndexOf(names, line)).ToArray();
        return new EmojiCategories(names,
            index.Where((_, i) => !HoldOut.IsTest(i)).ToArray(),
            index.Where((_, i) => HoldOut.IsTest(i)).ToArray());
    }
}
