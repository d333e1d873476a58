namespace Ign.Evaluation;

/// <summary>
/// How well a score separates out-of-distribution images (positives, expected to score higher) from data images
/// (negatives): the ROC curve over every threshold and its area.
/// </summary>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double Area)
{
    public static RocCurve Of(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        if (negatives.Count == 0 || positives.Count == 0)
            throw new ArgumentException("an ROC curve needs both data and out-of-distribution scores");
        var all = negatives.Select(s => (Score: s, Positive: false))
            .Concat(positives.Select(s => (Score: s, Positive: true)))
            .OrderByDescending(p => p.Score)
            .ToArray();
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0, fp = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Positive) tp++; else fp++;
            // one point per distinct score, so tied scores make a diagonal step (the area counts them half)
            if (i + 1 < all.Length && all[i + 1].Score == all[i].Score) continue;
            fpr.Add((double)fp / negatives.Count);
            tpr.Add((double)tp / positives.Count);
        }
        double area = 0;
        for (int i = 1; i < fpr.Count; i++) area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), area);
    }
}
