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
        Assert.False(fresh.Observe(20, 0.15));    // an untrained f: all samples alike, nothing wrong yet
        Assert.False(fresh.Observe(40, 0.10));
        Assert.False(fresh.Observe(60, 0.70));
        Assert.False(fresh.Observe(80, 0.30));    // less variety, above the threshold
        Assert.True(fresh.Observe(90, 0.20));     // had variety and lost it, before a tenth of the run

        var neverVaried = new CollapseWatch(totalSteps: 1000);
        Assert.False(neverVaried.Observe(99, 0.10));
        Assert.True(neverVaried.Observe(100, 0.10));  // a tenth of the run without variety

        Assert.False(new CollapseWatch(totalSteps: 1000).Observe(500, 0.9));
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
        Assert.All(written, w => Assert.Equal(new CollapseWatch(4).Observe(w.Step, w.Spread), w.Collapsing));
    }

    private sealed class Recorder(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
