using Ign.Models;
using Ign.Tests.Interop;
using Ign.Training;
using Spectral = Ign.Priors.SpectralPrior;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

/// <summary>ign average: the parameters are the mean of the checkpoints', the buffers and header the last one's.
/// </summary>
public class CheckpointAverageTests
{
    /// <summary>A spectral prior's statistics (C, H, W/2 + 1) with its spread scaled by <paramref name="spread"/>: the
    /// kind of prior whose statistics are compared tensor by tensor.</summary>
    private static Dictionary<string, Tensor> SpectralStatistics(float spread) => new()
    {
        [Spectral.MeanReal] = zeros(1, 28, 15), [Spectral.MeanImag] = zeros(1, 28, 15),
        [Spectral.StdReal] = full(1, 28, 15, spread), [Spectral.StdImag] = ones(1, 28, 15),
    };

    private static string Save(string dir, int seed, long step, int width = 8, float? spectralSpread = null)
    {
        manual_seed(seed);
        using var f = new DcganMnist(baseWidth: width);
        using (no_grad())
            foreach (var (name, tensor) in f.state_dict().Where(kv => kv.Key.Contains("running_")))
                tensor.copy_(rand_like(tensor) + 0.5);   // buffers that differ between the checkpoints
        var model = PyTorchEquivalenceTests.ModelOnly(f, width);
        string path = Path.Combine(dir, $"step{step}.ckpt");
        new Checkpoint
        {
            Header = model.Header with { Step = step, Prior = spectralSpread is null ? "gaussian" : "spectral" },
            ModelState = model.ModelState,
            PriorStatistics = spectralSpread is { } spread ? SpectralStatistics(spread) : model.PriorStatistics,
        }.Save(path);
        return path;
    }

    [Fact]
    public void The_average_holds_the_mean_of_the_parameters_and_the_last_checkpoints_buffers()
    {
        string dir = TestData.TempDir();
        string[] paths = [Save(dir, 1, 100), Save(dir, 2, 200), Save(dir, 3, 300)];
        var sources = paths.Select(p => TrainedModel.Load(p, CPU, WeightChoice.Live)).ToList();

        using var average = CheckpointAverage.Load(paths, WeightChoice.Live, out var steps);

        Assert.Equal([100L, 200L, 300L], steps);
        var parameterNames = average.Network.named_parameters().Select(p => p.name).ToHashSet();
        var states = sources.Select(s => s.Network.state_dict()).ToList();
        int checkedParameters = 0, checkedBuffers = 0;
        foreach (var (name, tensor) in average.Network.state_dict())
            if (parameterNames.Contains(name))
            {
                var mean = (states[0][name] + states[1][name] + states[2][name]) / 3;
                Assert.True(tensor.allclose(mean, rtol: 1e-6, atol: 1e-7), name);
                if (!states[0][name].allclose(states[2][name]))    // BatchNorm's scales start equal (1) in all
                    Assert.False(tensor.allclose(states[2][name]), name);   // not simply the last one's
                checkedParameters++;
            }
            else if (tensor.is_floating_point())
            {
                Assert.True(tensor.Same(states[2][name]), name);
                checkedBuffers++;
            }
        Assert.True(checkedParameters > 10 && checkedBuffers > 4, $"{checkedParameters}, {checkedBuffers}");
        Assert.Equal(300, average.Step);
        Assert.Equal("ema", average.Header.Weights);
        Assert.Equal(["step100.ckpt step 100 live", "step200.ckpt step 200 live", "step300.ckpt step 300 live"],
            average.Header.AveragedFrom!);
        Assert.Null(average.NormStatistics);
        foreach (var source in sources) source.Dispose();
    }

    [Fact]
    public void A_prior_with_statistics_averages_when_they_are_the_same_and_is_refused_when_not()
    {
        string dir = TestData.TempDir();
        string first = Save(dir, 1, 100, spectralSpread: 1), second = Save(dir, 2, 200, spectralSpread: 1);
        string other = Save(dir, 3, 300, spectralSpread: 2);

        using (var average = CheckpointAverage.Load([first, second], WeightChoice.Live))
            Assert.Equal("spectral", average.Header.Prior);
        var refused = Assert.Throws<ArgumentException>(() =>
            CheckpointAverage.Load([first, other], WeightChoice.Live));

        Assert.Contains("another prior", refused.Message);
    }

    [Fact]
    public void Checkpoints_of_another_width_or_one_alone_are_refused_in_one_line()
    {
        string dir = TestData.TempDir();
        string narrow = Save(dir, 1, 100), wide = Save(dir, 2, 200, width: 16);

        var mixed = Assert.Throws<ArgumentException>(() => CheckpointAverage.Load([narrow, wide], WeightChoice.Live));
        var alone = Assert.Throws<ArgumentException>(() => CheckpointAverage.Load([narrow], WeightChoice.Live));
        var unsaid = Assert.Throws<ArgumentException>(() =>
            CheckpointAverage.Load([narrow, narrow], WeightChoice.Sampling));

        Assert.Contains("another network", mixed.Message);
        Assert.DoesNotContain('\n', mixed.Message);
        Assert.Contains("two checkpoints or more", alone.Message);
        Assert.Contains("live or ema", unsaid.Message);
    }
}
