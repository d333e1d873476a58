using Ign.Configuration;
using Ign.Imaging;
using Ign.Objective;
using Ign.Training;
using static Ign.Tests.Cli.CliRunner;

namespace Ign.Tests.Training;

[Collection("console")]
public class KnobTests
{
    private static Knob Find(string flag) => Knobs.Of<TrainConfig>().Single(k => k.Flag == flag);

    [Fact]
    public void Each_flag_is_declared_once_and_sets_its_field_in_nested_records_too()
    {
        var knobs = Knobs.Of<TrainConfig>();
        Assert.Equal(knobs.Count, knobs.Select(k => k.Flag).Distinct().Count());
        var c = TrainConfig.FromPreset("seed002");
        c = Find("--lr").With(c, Find("--lr").Parse("3e-4"));
        c = Find("--steps").With(c, Find("--steps").Parse("5"));
        c = Find("--keep-at").With(c, Find("--keep-at").Parse("1404, 3510"));
        c = Find("--clamp-scale").With(c, Find("--clamp-scale").Parse("reconstruction-detached"));
        c = Find("--fit").With(c, Find("--fit").Parse("pad"));
        Assert.Equal((3e-4, 5L), (c.LearningRate, c.MaxSteps!.Value));
        Assert.Equal([1404L, 3510], c.KeepCheckpointsAt);
        Assert.Equal((ClampScale.ReconstructionDetached, FitMode.Pad), (c.Objective.Scale, c.Folder.Fit));
        Assert.Equal(TrainConfig.FromPreset("seed002").Objective.LambdaTight, c.Objective.LambdaTight); // the nested copy kept the rest
        Assert.Equal(ClampScale.Reconstruction, TrainConfig.FromPreset("seed002").Objective.Scale);      // and the original is untouched
    }

    [Theory]
    [InlineData("--lr", "fast", "--lr: 'fast' is not")]
    [InlineData("--clamp", "soft", "--clamp: 'soft' is not one of none, tanh")]
    [InlineData("--keep-at", "1;2", "--keep-at: '1;2' is not a comma-separated list")]
    public void A_bad_value_is_one_line_naming_the_flag(string flag, string text, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<ArgumentException>(() => Find(flag).Parse(text)).Message);

    [Fact]
    public void The_help_shows_each_knob_s_default()
    {
        string help = Find("--lambda-tight").Describe(TrainConfig.FromPreset("tuned"));
        Assert.EndsWith("[default: 5]", help);
        Assert.Contains("(none | tanh) [default: none]", Find("--clamp").Describe(TrainConfig.FromPreset("tuned")));
    }

    [Fact]
    public void Adam_s_epsilon_reaches_the_optimizer_and_is_refused_when_not_positive()
    {
        var config = Find("--adam-eps").With(TrainConfig.FromPreset("tiny") with { MaxSteps = 1 },
            Find("--adam-eps").Parse("1e-4"));
        using (var trainer = new Trainer(config, TestData.RandomImages(), TestData.TempDir()))
            Assert.Equal(1e-4, trainer.Optimizer.Epsilon);
        var error = Assert.Throws<ArgumentException>(() => (config with { AdamEpsilon = 0 }).Validate());
        Assert.Contains("Adam's ε must be positive", error.Message);
    }

    [Fact]
    [Trait("Category", "cli")]
    public void Resuming_refuses_a_knob_that_would_make_another_run()
    {
        string dir = TestData.TempDir();
        Assert.Equal(0, Run("train", "--preset", "tiny", "--steps", "1", "--out", dir).Code);
        var (code, error) = Run("train", "--resume", dir, "--steps", "2", "--width", "16");
        Assert.Equal(1, code);
        Assert.Contains("--width cannot change when resuming", error);
    }
}
