using Ign.Runtime;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>One category's share of the training data and of the samples, and two floors of the measure (as the
/// train-vs-test Fréchet distance is the distance's): <see cref="HeldOutShare"/>, its share of the test images as
/// the labeller sees them, and <see cref="LeaveOneOutShare"/>, its share of the training images each labelled by its
/// nearest other training image (ten times as many images, so less noise): what images that are not in the training
/// set but drawn like it would be measured at.</summary>
public sealed record CategoryShare(string Category, double DataShare, double SampleShare, double HeldOutShare = 0,
    int SampleCount = 0, double LeaveOneOutShare = 0)
{
    /// <summary>SampleShare / DataShare − 1: 0 when the category is as common among the samples as in the data.
    /// </summary>
    public double Deviation => OfData(SampleShare);

    /// <summary>HeldOutShare / DataShare − 1: the held-out images' own deviation under the same labelling.</summary>
    public double HeldOutDeviation => OfData(HeldOutShare);

    /// <summary>LeaveOneOutShare / DataShare − 1: the labelling's own bias on images it has not seen.</summary>
    public double LeaveOneOutDeviation => OfData(LeaveOneOutShare);

    /// <summary>SampleShare / LeaveOneOutShare − 1: the samples against images drawn like the data and labelled the
    /// same way, so that the labelling's bias cancels (0 when neither has the category).</summary>
    public double FloorDeviation => LeaveOneOutShare > 0 ? SampleShare / LeaveOneOutShare - 1
        : SampleShare > 0 ? double.PositiveInfinity : 0;

    /// <summary>Half the width of the 95 % range of <see cref="Deviation"/> for a generator that draws each category
    /// exactly at the data's share, from <see cref="SampleCount"/> samples (binomial, normal approximation): a
    /// deviation inside it cannot be told from the draw's chance. Infinite without samples or data.</summary>
    public double SamplingNoise => DataShare > 0 && SampleCount > 0
        ? 1.96 * Math.Sqrt(DataShare * (1 - DataShare) / SampleCount) / DataShare
        : double.PositiveInfinity;

    public bool Within(double tolerance) => Math.Abs(Deviation) <= tolerance;

    public bool WithinOfFloor(double tolerance) => Math.Abs(FloorDeviation) <= tolerance;

    /// <summary>True when the deviation is larger than the draw's chance explains (<see cref="SamplingNoise"/>).
    /// </summary>
    public bool BeyondSamplingNoise => Math.Abs(Deviation) > SamplingNoise;

    /// <summary>share / DataShare − 1; infinite when the data has none of the category.</summary>
    private double OfData(double share) => DataShare > 0 ? share / DataShare - 1 : double.PositiveInfinity;
}

/// <summary>Mode coverage: each category's share of the samples against its share of the data, with samples given the
/// category of their nearest training image in the feature space. <see cref="LabellerAccuracy"/> is how often that
/// labelling is right for held-out test images.</summary>
public sealed record CategoryCoverage(List<CategoryShare> Shares, double LabellerAccuracy)
{
    public const double Tolerance = 0.25; // issue 25: every category within ±25 % of its share of the data

    public bool AllWithin => Shares.Where(s => s.DataShare > 0).All(s => s.Within(Tolerance));

    /// <summary>Every category within the tolerance of the floor's share (<see cref="CategoryShare.FloorDeviation"/>).
    /// </summary>
    public bool AllWithinOfFloor => Shares.Where(s => s.DataShare > 0).All(s => s.WithinOfFloor(Tolerance));

    /// <summary>The categories outside the tolerance whose deviation the draw's chance could explain.</summary>
    public IEnumerable<CategoryShare> OutsideWithinNoise =>
        Shares.Where(s => s.DataShare > 0 && !s.Within(Tolerance) && !s.BeyondSamplingNoise);
}

/// <summary>Gives an image the category of its nearest training image in a feature space; how often that is right is
/// measured once, on the test images, when the labeller is built.</summary>
public sealed class CategoryLabeller
{
    private readonly string[] names;
    private readonly Tensor trainFeatures;
    private readonly int[] trainCategories;
    private readonly int[] testLabels; // the category each test image is given
    private readonly int[] leaveOneOutLabels; // each training image's nearest other training image's category

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
        testLabels = Label(testFeatures);
        leaveOneOutLabels = Label(trainFeatures, excludeSelf: true);
        Accuracy = testLabels.Zip(testCategories).Count(p => p.First == p.Second) / (double)testLabels.Length;
    }

    /// <summary>Each category's share of the samples against its share of the training data, with the floors'
    /// shares (held-out and leave-one-out images, labelled as the samples are) beside it.</summary>
    /// <param name="sampleFeatures">(S, D) of the samples</param>
    public CategoryCoverage Coverage(Tensor sampleFeatures)
    {
        var sampleLabels = Label(sampleFeatures);
        static double Share(int[] labels, int c) => labels.Count(x => x == c) / (double)labels.Length;
        var shares = names.Select((name, c) => new CategoryShare(name, Share(trainCategories, c),
                Share(sampleLabels, c), Share(testLabels, c), sampleLabels.Length, Share(leaveOneOutLabels, c)))
            .ToList();
        return new CategoryCoverage(shares, Accuracy);
    }

    /// <param name="queries">(Q, D)</param>
    /// <param name="excludeSelf">the queries are the training features themselves: each skips its own row</param>
    private int[] Label(Tensor queries, bool excludeSelf = false)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var train = trainFeatures.to(float32);                                  // (N, D), once for every batch
        var nearest = new List<long>();
        for (long start = 0; start < queries.shape[0]; start += 512)
        {
            using var batch = NewDisposeScope();
            var q = queries.narrow(0, start, Math.Min(512, queries.shape[0] - start)).to(float32);
            var distances = cdist(q, train);                                     // (b, N)
            if (excludeSelf) distances.diagonal(start).fill_(scalars.Of(double.PositiveInfinity)); // i: row start + i
            nearest.AddRange(distances.argmin(1).cpu().data<long>().ToArray());
        }
        return nearest.Select(i => trainCategories[i]).ToArray();
    }
}
