using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

public class SampleSpreadTests
{
    [Fact]
    public void Identical_samples_have_no_spread_and_are_called_collapsing()
    {
        var alike = full(8, 1, 4, 4, 0.3, dtype: float64);
        var data = cat([full(1, 1, 4, 4, -1.0, dtype: float64), full(1, 1, 4, 4, 1.0, dtype: float64)]);

        Assert.Equal(0.0, SampleSpread.Of(alike));
        Assert.Equal(Math.Sqrt(2), SampleSpread.Of(data), 12);               // std of {-1, 1}, unbiased
        double relative = SampleSpread.Relative(alike, SampleSpread.Of(data));
        Assert.True(SampleSpread.Collapsing(relative));
        Assert.False(SampleSpread.Collapsing(SampleSpread.Relative(data, SampleSpread.Of(data))));
        Assert.Throws<ArgumentException>(() => SampleSpread.Of(alike.narrow(0, 0, 1)));
    }

    [Fact]
    public void A_run_is_called_collapsed_when_its_samples_lose_their_variety_not_before_they_have_any()
    {
        var fresh = new CollapseWatch(totalSteps: 1000);
        Assert.Null(fresh.Observe(20, 0.15));     // an untrained f: all samples alike, nothing wrong yet
        Assert.Null(fresh.Observe(40, 0.10));
        Assert.Null(fresh.Observe(60, 0.70));
        Assert.Null(fresh.Observe(80, 0.30));     // less variety, above the threshold
        Assert.Contains("vary 20 % as much as the data", fresh.Observe(90, 0.20)); // had variety and lost it

        var neverVaried = new CollapseWatch(totalSteps: 1000);
        Assert.Null(neverVaried.Observe(99, 0.10));
        Assert.NotNull(neverVaried.Observe(100, 0.10));  // a tenth of the run without variety

        Assert.Null(new CollapseWatch(totalSteps: 1000).Observe(500, 0.9));
    }

    [Fact]
    public void Grey_samples_of_colour_data_are_called_collapsed_after_a_third_of_the_run_or_once_colour_was_lost()
    {
        var rgb = cat([full(2, 1, 2, 2, 1.0), full(2, 1, 2, 2, -1.0), full(2, 1, 2, 2, -1.0)], 1);  // red
        var grey = full(2, 3, 2, 2, 0.2);
        Assert.Equal(0.0, SampleSpread.ColourOf(grey));
        Assert.Equal(Math.Sqrt(8.0 / 9), SampleSpread.ColourOf(rgb)!.Value, 6);   // std of {1, −1, −1}
        Assert.Null(SampleSpread.ColourOf(full(2, 1, 2, 2, 0.2)));
        Assert.Null(SampleSpread.RelativeColour(grey, null));

        var watch = new CollapseWatch(totalSteps: 900);
        Assert.Null(watch.Observe(200, 0.7, 0.2));  // grey silhouettes early in a healthy run: varied, not yet colour
        Assert.Contains("colour", watch.Observe(300, 0.7, 0.2));                  // a third of the run and still grey
        var lost = new CollapseWatch(totalSteps: 900);
        Assert.Null(lost.Observe(100, 0.7, 0.8));
        Assert.Contains("20 % of the data's colour", lost.Observe(150, 0.7, 0.2)); // had colour and lost it
        Assert.Null(new CollapseWatch(totalSteps: 900).Observe(800, 0.7, null)); // grey data: no colour to lose
    }

    [Fact]
    public void Colour_that_an_early_f_draws_and_loses_is_no_collapse_but_colour_lost_later_is()
    {
        // emoji seed 1 of docs/quality.md section 34 (10 600 steps), a grid every 53 steps: it recovered
        (long Step, double Spread, double Colour)[] healthy =
            [(53, 0.22, 0.35), (159, 0.47, 0.54), (318, 0.58, 0.12), (1060, 0.65, 0.04), (1590, 0.66, 0.05),
             (2120, 0.66, 0.23), (3180, 0.79, 0.53), (5300, 0.85, 0.61), (10600, 0.89, 0.65)];
        var watch = new CollapseWatch(totalSteps: 10600);
        Assert.All(healthy, g => Assert.Null(watch.Observe(g.Step, g.Spread, g.Colour)));
        var lost = new CollapseWatch(totalSteps: 10600);
        Assert.Null(lost.Observe(1060, 0.7, 0.6));                                // a tenth of the run in, colourful
        Assert.Contains("10 % of the data's colour", lost.Observe(1113, 0.7, 0.1));
    }

    [Fact]
    public void Every_sample_grid_a_run_writes_says_the_samples_spread()
    {
        string dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("seed002") with
        {
            BaseWidth = 4, BatchSize = 8, MaxSteps = 4, SampleEvery = 2, SampleCount = 4,
        };
        var written = new List<SamplesWritten>();
        using (var trainer = new Trainer(config, TestData.RandomImages(), dir))
            trainer.Run(new Recorder(e => { if (e is SamplesWritten w) written.Add(w); }));

        Assert.Equal([2L, 4L], written.Select(w => w.Step));
        Assert.All(written, w => Assert.True(double.IsFinite(w.Spread) && w.Spread > 0, $"spread {w.Spread}"));
        Assert.All(written, w => Assert.Equal(new CollapseWatch(4).Observe(w.Step, w.Spread), w.Collapse));
        Assert.All(written, w => Assert.Null(w.Colour));   // grey data
    }

    [Fact]
    public void A_colour_run_s_sample_grids_also_say_their_colour()
    {
        var config = TrainConfig.FromPreset("emoji64") with
        {
            BaseWidth = 4, BatchSize = 4, MaxSteps = 2, SampleEvery = 2, SampleCount = 4,
        };
        var written = new List<SamplesWritten>();
        using (var trainer = new Trainer(config, config.LoadTrainingSet(), TestData.TempDir()))
            trainer.Run(new Recorder(e => { if (e is SamplesWritten w) written.Add(w); }));

        var grid = Assert.Single(written);
        Assert.True(grid.Colour is > 0 and < 10, $"colour {grid.Colour}");
    }

    private sealed class Recorder(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
