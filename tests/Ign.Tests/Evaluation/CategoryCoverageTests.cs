using Ign.Data;
using Ign.Evaluation;
using static TorchSharp.torch;

namespace Ign.Tests.Evaluation;

public class CategoryCoverageTests
{
    [Fact]
    public void Samples_take_their_nearest_training_image_s_category_and_shares_are_compared_with_the_data_s()
    {
        // category 0 near the origin (three images), category 1 near (10, 10) (one image)
        var train = tensor(new float[] { 0, 0, 1, 0, 0, 1, 10, 10 }).view(4, 2);
        int[] trainCategories = [0, 0, 0, 1];
        var test = tensor(new float[] { 0.5f, 0.5f, 9, 9 }).view(2, 2);
        var samples = tensor(new float[] { 0.2f, 0.1f, 0.9f, 0.3f, 0.1f, 0.8f, 1, 1 }).view(4, 2); // all near 0

        var labeller = new CategoryLabeller(["zero", "one"], train, trainCategories, test, [0, 1]);
        var coverage = labeller.Coverage(samples);

        Assert.Equal(1.0, coverage.LabellerAccuracy);
        Assert.Equal([0.75, 0.25], coverage.Shares.Select(s => s.DataShare));
        Assert.Equal([1.0, 0.0], coverage.Shares.Select(s => s.SampleShare));
        Assert.Equal(1 / 3.0, coverage.Shares[0].Deviation, 12);                        // over-produced by a third
        Assert.Equal(-1.0, coverage.Shares[1].Deviation, 12);                           // missing
        Assert.False(coverage.AllWithin);
        // the test images as labelled: one near each centre, so half each against the data's 3/4 and 1/4
        Assert.Equal([0.5, 0.5], coverage.Shares.Select(s => s.HeldOutShare));
        Assert.Equal(-1 / 3.0, coverage.Shares[0].HeldOutDeviation, 12);
        Assert.Equal(1.0, coverage.Shares[1].HeldOutDeviation, 12);
        Assert.All(coverage.Shares, s => Assert.Equal(4, s.SampleCount));
        // each training image by its nearest other: the three near 0 stay, (10, 10)'s nearest other is (1, 0) or (0, 1)
        Assert.Equal([1.0, 0.0], coverage.Shares.Select(s => s.LeaveOneOutShare));
        Assert.Equal(-1.0, coverage.Shares[1].LeaveOneOutDeviation, 12);
        // against the floor the samples are exact: all in category 0, as the floor labels every unseen image
        Assert.Equal([0.0, 0.0], coverage.Shares.Select(s => s.FloorDeviation));
        Assert.True(coverage.AllWithinOfFloor);
        // four samples explain anything: 1.96 √(p (1 − p) / 4) / p is 0.566 for p = 3/4 and 1.697 for p = 1/4
        Assert.Equal(1.96 * Math.Sqrt(0.75 * 0.25 / 4) / 0.75, coverage.Shares[0].SamplingNoise, 12);
        Assert.Equal(["zero", "one"], coverage.OutsideWithinNoise.Select(s => s.Category));
        Assert.True(labeller.Coverage(train).AllWithin);                                // the data itself
        Assert.Equal(0.5, new CategoryLabeller(["zero", "one"], train, trainCategories, test, [1, 1]).Accuracy);
    }

    [Fact]
    public void A_deviation_counts_as_beyond_chance_only_outside_the_binomial_range_of_the_sample_count()
    {
        // a category of 2 % of the data among 2 000 samples: 1.96 √(0.02 · 0.98 / 2000) / 0.02 = 0.307
        var half = new CategoryShare("half", 0.02, 0.010, SampleCount: 2000);    // −50 %: beyond chance
        var fewer = new CategoryShare("fewer", 0.02, 0.014, SampleCount: 2000);  // −30 %: outside ±25 %, not beyond chance
        var rare = new CategoryShare("rare", 4 / 3408.0, 5.5 / 2000, SampleCount: 2000); // +134 % of 2.3 samples

        Assert.Equal(0.3068, half.SamplingNoise, 4);
        Assert.True(half.BeyondSamplingNoise);
        Assert.False(fewer.Within(CategoryCoverage.Tolerance));
        Assert.False(fewer.BeyondSamplingNoise);
        Assert.InRange(rare.SamplingNoise, 1.2, 1.35);
        Assert.True(rare.BeyondSamplingNoise);
        Assert.True(double.IsPositiveInfinity(new CategoryShare("none", 0.02, 0.01).SamplingNoise)); // no sample count
        var coverage = new CategoryCoverage([half, fewer, rare], 1.0);
        Assert.Equal(["fewer"], coverage.OutsideWithinNoise.Select(s => s.Category));
        // a biased labelling: the floor finds 1.2 % where the data has 2 %, the samples 1.3 %: +8 % of the floor
        var biased = new CategoryShare("biased", 0.02, 0.013, SampleCount: 2000, LeaveOneOutShare: 0.012);
        Assert.False(biased.Within(CategoryCoverage.Tolerance));
        Assert.Equal(0.013 / 0.012 - 1, biased.FloorDeviation, 12);
        Assert.True(biased.WithinOfFloor(CategoryCoverage.Tolerance));
        Assert.True(double.IsPositiveInfinity(new CategoryShare("new", 0.02, 0.01, LeaveOneOutShare: 0).FloorDeviation));
    }

    [Fact]
    public void The_embedded_emoji_have_a_category_each_split_as_the_images_are()
    {
        var categories = EmojiCategories.LoadEmbedded();

        Assert.NotNull(categories);
        Assert.Equal(10, categories.Names.Length);
        Assert.Equal((3408, 378), (categories.Train.Length, categories.Test.Length));
        int people = Array.IndexOf(categories.Names, "People & Body");
        Assert.Equal(2261, categories.Train.Count(c => c == people) + categories.Test.Count(c => c == people));
    }
}
