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
        Assert.True(labeller.Coverage(train).AllWithin);                                // the data itself
        Assert.Equal(0.5, new CategoryLabeller(["zero", "one"], train, trainCategories, test, [1, 1]).Accuracy);
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
