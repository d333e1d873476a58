namespace Ign.Evaluation;

/// <summary>
/// How often the classifier assigns each class to a set of samples. Mode collapse shows as low entropy
/// (uniform over 10 classes: log2 10 ≈ 3.32 bits) and as a large relative deviation from uniform.
/// </summary>
public sealed record ClassHistogram(long[] Counts)
{
    public long Total => Counts.Sum();
    public double[] Fractions => Counts.Select(c => Total == 0 ? 0 : (double)c / Total).ToArray();

    /// <summary>Shannon entropy in bits.</summary>
    public double EntropyBits => -Fractions.Where(p => p > 0).Sum(p => p * Math.Log2(p));

    /// <summary>
    /// max over classes of |p_c − 1/K| / (1/K): 0 for uniform, K − 1 when all samples are one class.
    /// </summary>
    public double MaxRelativeDeviation => Fractions.Max(p => Math.Abs(p * Counts.Length - 1));

    public static ClassHistogram Of(IEnumerable<long> predictedClasses, int classCount = 10)
    {
        var counts = new long[classCount];
        foreach (var c in predictedClasses)
        {
            if (c < 0 || c >= classCount) throw new ArgumentException($"class {c} outside 0..{classCount - 1}");
            counts[c]++;
        }
        return new ClassHistogram(counts);
    }
}
