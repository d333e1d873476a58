using Ign.Cli.Commands;

namespace Ign.Tests.Cli;

public class StepsTests
{
    [Fact]
    public void Positive_steps_are_distinct_ascending_and_name_their_option_in_errors()
    {
        Assert.Equal([1, 3, 50], Steps.ParsePositive("50,0,3,1,3", max: 100));
        Assert.Equal("--steps needs at least one k ≥ 1",
                     Assert.Throws<ArgumentException>(() => Steps.ParsePositive("0", max: 100)).Message);
        Assert.StartsWith("--projection-steps: 'abc'",
            Assert.Throws<ArgumentException>(() => Steps.ParsePositive("1,abc", 100, "--projection-steps")).Message);
        Assert.StartsWith("--projection-steps: '101'",
            Assert.Throws<ArgumentException>(() => Steps.ParsePositive("101", 100, "--projection-steps")).Message);
    }
}
