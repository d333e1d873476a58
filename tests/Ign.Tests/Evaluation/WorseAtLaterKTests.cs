using Ign.Evaluation;

namespace Ign.Tests.Evaluation;

public class WorseAtLaterKTests
{
    [Theory]
    [InlineData(new[] { 0.90, 0.897, 0.899 }, false)] // within half a point of f
    [InlineData(new[] { 0.90, 0.91, 0.92 }, false)]
    [InlineData(new[] { 0.90, 0.91, 0.894 }, true)]  // f³ more than half a point below f
    public void A_row_is_flagged_when_a_later_k_loses_more_than_half_a_point(double[] accuracy, bool flagged) =>
        Assert.Equal(flagged, new ProjectionMetrics("noise", 0.5, [1, 2, 3], accuracy).WorseAtLaterK);

    [Theory]
    [InlineData(new[] { 0.100, 0.101, 0.1015 }, false)]
    [InlineData(new[] { 0.100, 0.099, 0.103 }, true)]  // the error grew by 3 %
    public void Without_a_classifier_the_restoration_error_decides(double[] error, bool flagged) =>
        Assert.Equal(flagged, new ProjectionMetrics("noise", null, [1, 2, 3], null, 0.2, error).WorseAtLaterK);
}
