using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>One category's share of the training data and of the samples.</summary>
public sealed record CategoryShare(string Category, double DataShare, double SampleShare)
{
    /// <summary>SampleShare / DataShare − 1: 0 when the category is as common among the samples as in the data.
    /// </summary>
    public double Deviation => DataShare > 0 ? SampleShare / DataShare - 1 : double.PositiveInfinity;

    public bool Within(double tolerance) => Math.Abs(Deviation) <= tolerance;
}

/// <summary>Mode coverage: each category's share of the samples against its share of the data, with samples given the
/// category of their nearest training image in the feature space. <see cref="LabellerAccuracy"/> is how often that
/// labelling is right for held-out test images.</summary>
public sealed record CategoryCoverage(List<CategoryShare> Shares, double LabellerAccuracy)
{
    public const double Tolerance = 0.25; // issue 25: every category within ±25 % of its share of the data

    public bool AllWithin => Shares.Where(s => s.DataShare > 0).All(s => s.Within(Tolerance));
}

/// <summary>Gives an image the category of its nearest training image in a feature space; how often that is right is
/// measured once, on the test images, when the labeller is built.</summary>
public sealed class CategoryLabeller
{
    private readonly string[] names;
    private readonly Tensor trainFeatures;
    private readonly int[] trainCategories;

    /// <summary>Fraction of the test images labelled with their own category.</summary>
    public double Accuracy { get; }

    /// <param name="trainFeatures">(N, D) of the training images, <paramref name="trainCategories"/> theirs; kept
    /// (not copied) for the labeller's lifetime</param>
    /// <param name="testFeatures">(M, D) of the test images, to measure the labeller</param>
    public CategoryLabeller(string[] names, Tensor trainFeatures, int[] trainCategories, Tensor testFeatures,
        int[] testCategories)
    {
        if (trainFeatures.shape[0] != trainCategories.Length || testFeatures.shape[0] != testCategories.Length)
            throw new ArgumentException("one category per training and test image");
        (this.names, this.trainFeatures, this.trainCategories) = (names, trainFeatures, trainCategories);
        var testLabels = Label(testFeatures);
        Accuracy = testLabels.Zip(testCategories).Count(p => p.First == p.Second) / (double)testLabels.Length;
    }

    /// <summary>Each category's share of the samples against its share of the training data.</summary>
    /// <param name="sampleFeatures">(S, D) of the samples</param>
    public CategoryCoverage Coverage(Tensor sampleFeatures)
    {
        var sampleLabels = Label(sampleFeatures);
        var shares = names.Select((name, c) => new CategoryShare(name,
                trainCategories.Count(x => x == c) / (double)trainCategories.Length,
                sampleLabels.Count(x => x == c) / (double)sampleLabels.Length))
            .ToList();
        return new CategoryCoverage(shares, Accuracy);
    }

    /// <param name="queries">(Q, D)</param>
    private int[] Label(Tensor queries)
    {
        using var scope = NewDisposeScope();
        var nearest = new List<long>();
        for (long start = 0; start < queries.shape[0]; start += 512)
        {
            using var batch = NewDisposeScope();
            var q = queries.narrow(0, start, Math.Min(512, queries.shape[0] - start)).to(float32);
            var distances = cdist(q, trainFeatures.to(float32));                 // (b, N)
            nearest.AddRange(distances.argmin(1).cpu().data<long>().ToArray());
        }
        return nearest.Select(i => trainCategories[i]).ToArray();
    }
}
