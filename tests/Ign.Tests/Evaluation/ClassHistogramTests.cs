using Ign.Evaluation;

namespace Ign.Tests.Evaluation;

public class ClassHistogramTests
{
    [Fact]
    public void A_one_class_set_shows_collapse()
    {
        var h = ClassHistogram.Of(Enumerable.Repeat(3L, 500));
        Assert.Equal(0.0, h.EntropyBits, 9);
        Assert.Equal(9.0, h.MaxRelativeDeviation, 9); // 100 % where 10 % was due
        Assert.Equal(500, h.Counts[3]);
    }

    [Fact]
    public void A_uniform_set_has_maximal_entropy_and_no_deviation()
    {
        var h = ClassHistogram.Of(Enumerable.Range(0, 1000).Select(i => (long)(i % 10)));
        Assert.Equal(Math.Log2(10), h.EntropyBits, 9);
        Assert.Equal(0.0, h.MaxRelativeDeviation, 9);
    }

    [Fact]
    public void The_deviation_is_relative_to_the_uniform_share()
    {
        // class 0 twice as often as the others' share would be: 2/11 vs 1/10
        var classes = Enumerable.Range(0, 10).SelectMany(c => Enumerable.Repeat((long)c, c == 0 ? 200 : 100));
        var h = ClassHistogram.Of(classes);
        Assert.Equal(Math.Abs(10 * 200.0 / 1100 - 1), h.MaxRelativeDeviation, 9);
    }

    [Fact]
    public void Classes_out_of_range_are_rejected() =>
        Assert.Throws<ArgumentException>(() => ClassHistogram.Of([10L]));
}
