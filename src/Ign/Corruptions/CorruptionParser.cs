using System.Globalization;

namespace Ign.Corruptions;

/// <summary>
/// Reads corruption specs: KIND, KIND:VALUE (the first parameter) or KIND:NAME=VALUE,NAME=VALUE, chained
/// with '+', e.g. "noise:0.3", "occlude:size=10,fill=1", "lowres:7+noise:0.1". Bad input throws an
/// ArgumentException whose message is one line naming what is wrong and what is allowed.
/// </summary>
public static class CorruptionParser
{
    private sealed record Kind(
        string Description,
        (string Name, double Default, double Min, double Max)[] Parameters,
        Func<double[], ICorruption> Create);

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["noise"] = new("additive Gaussian noise", [("sigma", 0.3, 0, 10)], p => new GaussianNoise(p[0])),
        ["saltpepper"] = new("salt-and-pepper pixels", [("amount", 0.2, 0, 1)], p => new SaltAndPepper(p[0])),
        ["occlude"] = new("a square of one value",
            [("size", 10, 1, 4096), ("fill", 1, -1, 1), ("x", -1, -1, 4096), ("y", -1, -1, 4096)],
            p => new Occlusion((int)p[0], p[1], (int)p[2], (int)p[3])),
        ["lowres"] = new("down- then up-sampled", [("size", 7, 1, 4096)], p => new LowResolution((int)p[0])),
        ["blur"] = new("Gaussian blur", [("sigma", 1, 0.1, 50)], p => new Blur(p[0])),
        ["sketch"] = new("thresholded Sobel edge map", [("threshold", 0.3, 0.001, 1)], p => new Sketch(p[0])),
        ["invert"] = new("black and white swapped", [], _ => new Inversion()),
        ["grayscale"] = new("colour removed (RGB only)", [], _ => new Grayscale()),
        ["jitter"] = new("random brightness, contrast, saturation and hue per image",
            [("brightness", 0.2, 0, 1), ("contrast", 0.2, 0, 1), ("saturation", 0.2, 0, 1), ("hue", 0.05, 0, 0.5)],
            p => new ColourJitter(p[0], p[1], p[2], p[3])),
    };

    private static readonly HashSet<string> WholeNumbers = ["size", "x", "y"];

    /// <summary>One line per kind with its parameters and defaults, for --help texts and error messages.</summary>
    public static string Help => string.Join("; ", Kinds.Select(kv =>
        kv.Key + (kv.Value.Parameters.Length == 0
            ? ""
            : ":" + string.Join(",", kv.Value.Parameters.Select(p => $"{p.Name}={p.Default:G}")))));

    public static IReadOnlyCollection<string> KnownKinds => Kinds.Keys;

    public static ICorruption Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new ArgumentException($"empty corruption (known: {Help})");
        var parts = spec.Split('+', StringSplitOptions.TrimEntries).Select(ParseOne).ToList();
        return parts.Count == 1 ? parts[0] : new CorruptionChain(parts);
    }

    /// <summary>Comma-separated corruptions of one kind each ("lowres,sketch", "lowres:size=7, sketch"); empty: none.
    /// A comma inside a kind's parameters ("occlude:size=8,fill=1") continues that kind.</summary>
    public static IReadOnlyList<ICorruption> ParseList(string specs)
    {
        var kinds = new List<string>();
        foreach (var piece in specs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (piece.Contains('=') && !piece.Contains(':') && kinds.Count > 0) kinds[^1] += "," + piece;
            else kinds.Add(piece);
        return [.. kinds.Select(Parse)];
    }

    private static ICorruption ParseOne(string spec)
    {
        int colon = spec.IndexOf(':');
        string name = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        if (!Kinds.TryGetValue(name, out var kind))
            throw new ArgumentException($"unknown corruption '{name}' (known: {string.Join(", ", Kinds.Keys)})");
        var values = kind.Parameters.Select(p => p.Default).ToArray();
        if (colon >= 0)
        {
            var assignments = spec[(colon + 1)..]
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < assignments.Length; i++)
            {
                var pieces = assignments[i].Split('=', 2, StringSplitOptions.TrimEntries);
                int index = pieces.Length == 1
                    ? i
                    : Array.FindIndex(kind.Parameters, p => p.Name == pieces[0].ToLowerInvariant());
                if (index < 0 || index >= kind.Parameters.Length)
                    throw new ArgumentException(kind.Parameters.Length == 0
                        ? $"corruption '{name}' takes no parameters"
                        : $"corruption '{name}': unknown parameter '{assignments[i]}' "
                            + $"(parameters: {string.Join(", ", kind.Parameters.Select(p => p.Name))})");
                var p = kind.Parameters[index];
                string text = pieces[^1];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                    || !double.IsFinite(v))
                    throw new ArgumentException($"corruption '{name}': {p.Name} must be a number, got '{text}'");
                if (v < p.Min || v > p.Max || (WholeNumbers.Contains(p.Name) && v != Math.Floor(v)))
                    throw new ArgumentException($"corruption '{name}': {p.Name} must be "
                        + $"{(WholeNumbers.Contains(p.Name) ? "a whole number " : "")}"
                        + $"between {p.Min:G} and {p.Max:G}, got {text}");
                values[index] = v;
            }
        }
        return kind.Create(values);
    }
}
