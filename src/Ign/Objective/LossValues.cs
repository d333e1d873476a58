namespace Ign.Objective;

/// <summary>
/// The losses of one step as numbers: the weighted total and each term of <see cref="LossTerms.All"/> unweighted (an
/// optional term 0 while it is off). Read from <see cref="IgnLosses"/> once per step, then shown, logged and plotted
/// as they are.
/// </summary>
public sealed record LossValues
{
    private readonly float[] terms;

    /// <param name="terms">one value per term of <see cref="LossTerms.All"/>, in its order</param>
    public LossValues(float total, IReadOnlyList<float> terms)
    {
        if (terms.Count != LossTerms.All.Count)
            throw new ArgumentException($"{LossTerms.All.Count} loss terms expected, got {terms.Count}");
        Total = total;
        this.terms = terms.ToArray();
    }

    public static readonly LossValues Zero = new(0, new float[LossTerms.All.Count]);

    public float Total { get; init; }

    public float this[LossTerm term] => terms[term.Index];

    // The paper's three, named because most readers want exactly them.
    public float Reconstruction => this[LossTerms.Reconstruction];
    public float Idempotence => this[LossTerms.Idempotence];
    public float Tightness => this[LossTerms.Tightness];

    /// <summary>These values with one term replaced.</summary>
    public LossValues With(LossTerm term, float value)
    {
        var changed = terms.ToArray();
        changed[term.Index] = value;
        return new LossValues(Total, changed);
    }

    /// <summary>The terms shown for these values: the paper's three, and each optional one that is not 0.</summary>
    public IEnumerable<(LossTerm Term, float Value)> Shown =>
        LossTerms.All.Where(t => !t.Optional || this[t] != 0).Select(t => (t, this[t]));

    public bool AllFinite => float.IsFinite(Total) && terms.All(float.IsFinite);

    public bool Equals(LossValues? other) =>
        other is not null && Total.Equals(other.Total) && terms.AsSpan().SequenceEqual(other.terms);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Total);
        foreach (float value in terms) hash.Add(value);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        string.Join(", ", Shown.Select(s => FormattableString.Invariant($"{s.Term.Short} {s.Value}"))
            .Prepend(FormattableString.Invariant($"total {Total}")));
}
