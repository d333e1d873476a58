namespace Ign.Cli.Commands;

public static class Steps
{
    /// <summary>"1,2,3" → [1, 2, 3]; rejects empty lists, negatives and junk with a one-line message.</summary>
    public static int[] Parse(string text, int max = 1_000_000, string option = "--steps")
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException($"{option} needs at least one k, e.g. 1,2,3");
        var steps = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out steps[i]) || steps[i] < 0 || steps[i] > max)
                throw new ArgumentException($"{option}: '{parts[i]}' is not a whole number between 0 and {max}");
        return steps;
    }

    /// <summary>The distinct k ≥ 1 of a list such as "1,2,3", ascending; a one-line error naming the option when
    /// none.</summary>
    public static int[] ParsePositive(string text, int max, string option = "--steps")
    {
        var steps = Parse(text, max, option).Where(k => k > 0).Distinct().Order().ToArray();
        return steps.Length > 0 ? steps : throw new ArgumentException($"{option} needs at least one k ≥ 1");
    }
}
