using System.Globalization;
using System.Reflection;

namespace Ign.Configuration;

/// <summary>
/// One option of a settings record: the chain of properties that reaches it (nested records included).
/// </summary>
public sealed record Knob(IReadOnlyList<PropertyInfo> Path, KnobAttribute Attribute)
{
    public string Flag => Attribute.Flag;

    /// <summary>A yes/no knob: given alone on the command line it means true ("--conditional").</summary>
    public bool IsFlag => ValueType == typeof(bool);

    private Type ValueType => Nullable.GetUnderlyingType(Path[^1].PropertyType) ?? Path[^1].PropertyType;

    public object? Get(object root) => Path.Aggregate<PropertyInfo, object?>(root, (o, p) => p.GetValue(o));

    /// <summary>
    /// A copy of <paramref name="root"/> with this knob set; the records on the path are copied, not changed.
    /// </summary>
    public T With<T>(T root, object? value) where T : class => (T)Set(root, 0, value);

    private object Set(object record, int depth, object? value)
    {
        var copy = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        var property = Path[depth];
        property.SetValue(copy, depth == Path.Count - 1 ? value : Set(property.GetValue(record)!, depth + 1, value));
        return copy;
    }

    /// <summary>The command line's text as this knob's type; a one-line error naming the flag otherwise.</summary>
    public object Parse(string text)
    {
        var type = ValueType;
        try
        {
            if (type == typeof(string)) return text;
            if (type == typeof(bool) && text.Length == 0) return true;
            if (type.IsEnum) return ParseEnum(type, text);
            if (type == typeof(long[]))
                return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            throw new ArgumentException($"{Flag}: '{text}' is not {(type == typeof(long[])
                ? "a comma-separated list of steps"
                : $"a valid {type.Name.ToLowerInvariant()}")}");
        }
    }

    /// <summary>The help text and the default taken from <paramref name="defaults"/>.</summary>
    public string Describe(object defaults)
    {
        string choices = ValueType.IsEnum ? $" ({string.Join(" | ", Names(ValueType))})" : "";
        return $"{Attribute.Help}{choices} [default: {Format(Get(defaults))}]";
    }

    private static string Format(object? value) => value switch
    {
        null => "none",
        long[] steps => steps.Length == 0 ? "none" : string.Join(",", steps),
        Enum e => Names(e.GetType())
            .First(n => string.Equals(n.Replace("-", ""), e.ToString(), StringComparison.OrdinalIgnoreCase)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private object ParseEnum(Type type, string text)
    {
        string wanted = text.Replace("-", "").Replace("_", "");
        foreach (var name in Enum.GetNames(type))
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase)) return Enum.Parse(type, name);
        throw new ArgumentException($"{Flag}: '{text}' is not one of {string.Join(", ", Names(type))}");
    }

    /// <summary>An enum's names as the command line spells them: lower case, words joined by '-'.</summary>
    private static IEnumerable<string> Names(Type type) => Enum.GetNames(type).Select(n =>
        string.Concat(n.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(n[i - 1])
            ? $"-{char.ToLowerInvariant(c)}"
            : $"{char.ToLowerInvariant(c)}")));
}

/// <summary>
/// The knobs of a settings record, found by their <see cref="KnobAttribute"/>, nested records included.
/// </summary>
public static class Knobs
{
    public static IReadOnlyList<Knob> Of<T>() => Walk(typeof(T), []).ToList();

    private static IEnumerable<Knob> Walk(Type type, List<PropertyInfo> path)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            List<PropertyInfo> here = [.. path, property];
            if (property.GetCustomAttribute<KnobAttribute>() is { } knob) yield return new Knob(here, knob);
            else if (property.PropertyType.GetMethod("<Clone>$") is not null) // a nested record: its own knobs
                foreach (var inner in Walk(property.PropertyType, here)) yield return inner;
        }
    }
}
