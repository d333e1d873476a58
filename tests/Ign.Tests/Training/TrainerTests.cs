using Ign.Priors;
using Ign.Numerics;
using Ign.IO;
using Ign.Objective;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

public class TrainerTests
{
    internal static TrainConfig Tiny(long steps, PriorKind prior = PriorKind.Gaussian) => TrainConfig.FromPreset("seed002") with
    {
        Preset = "test", BaseWidth = 4, BatchSize = 8, MaxSteps = steps, SampleCount = 4, SampleEvery = 1000, CheckpointEvery = 1000,
        Prior = prior, Seed = 42, Objective = ObjectiveConfig.Paper,
    };

    private static Dictionary<string, Tensor> Weights(Trainer t) => t.Network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

    [Fact]
    public void Same_seed_gives_the_same_first_losses()
    {
        var data = TestData.RandomImages();
        LossValues FirstLosses()
        {
            using var trainer = new Trainer(Tiny(1), data, TestData.TempDir());
            using var x = data.First(8);
            return trainer.TrainStep(x);
        }
        Assert.Equal(FirstLosses(), FirstLosses());
    }

    [Theory]
    [InlineData(PriorKind.Gaussian)]
    [InlineData(PriorKind.Spectral)]
    [InlineData(PriorKind.Covariance)]
    public void Resuming_from_a_checkpoint_continues_exactly(PriorKind prior)
    {
        var data = TestData.RandomImages();
        string straightDir = TestData.TempDir(), splitDir = TestData.TempDir();
        using var straight = new Trainer(Tiny(6, prior), data, straightDir);
        straight.Run();

        using (var first = new Trainer(Tiny(3, prior), data, splitDir)) first.Run();
        using var checkpoint = Checkpoint.Load(Path.Combine(splitDir, "checkpoint.ckpt"));
        Assert.Equal(3, checkpoint.Header.Step);
        using var resumed = new Trainer(checkpoint.Header.Config with { MaxSteps = 6 }, data, splitDir, checkpoint);
        resumed.Run();

        Assert.Equal(6, resumed.Step);
        var expected = Weights(straight);
        foreach (var (name, value) in Weights(resumed))
            Assert.True(value.Same(expected[name]), $"{name} differs between a straight and a resumed run");
        var straightLosses = File.ReadAllLines(Path.Combine(straightDir, "metrics.jsonl")).Select(l => Json.Deserialize<StepMetrics>(l).Total);
        var splitLosses = File.ReadAllLines(Path.Combine(splitDir, "metrics.jsonl")).Select(l => Json.Deserialize<StepMetrics>(l).Total);
        Assert.Equal(straightLosses, splitLosses);
        // the split run also drew a grid where its first part ended; the grids both drew are the same
        var straightGrids = SampleLog.Read(Path.Combine(straightDir, "samples.jsonl"));
        var splitGrids = SampleLog.Read(Path.Combine(splitDir, "samples.jsonl"));
        Assert.Equal([3L, 6], splitGrids.Select(s => s.Step));
        Assert.Equal(straightGrids, splitGrids.Where(s => straightGrids.Any(t => t.Step == s.Step)));
    }

    [Fact]
    public void A_run_folder_holds_config_metrics_samples_and_checkpoints()
    {
        string dir = TestData.TempDir();
        using (var trainer = new Trainer(Tiny(2), TestData.RandomImages(), dir)) trainer.Run();
        foreach (var file in new[] { "config.json", "metrics.jsonl", "samples.jsonl", "checkpoint.ckpt", "model.ckpt", "samples.png", "loss.png", "samples/step_000002.png" })
            Assert.True(File.Exists(Path.Combine(dir, file)), $"missing {file}");
        var grids = Directory.GetFiles(Path.Combine(dir, "samples"), "step_*.png")
            .Select(p => long.Parse(Path.GetFileNameWithoutExtension(p)[5..])).Order();
        var logged = SampleLog.Read(Path.Combine(dir, "samples.jsonl"));
        Assert.Equal(grids, logged.Select(s => s.Step));
        Assert.All(logged, s => Assert.True(s.Spread > 0 && s.Colour is null, $"{s}: grey data has no colour"));
        var config = Json.Deserialize<TrainConfig>(File.ReadAllText(Path.Combine(dir, "config.json")));
        Assert.Equal(42, config.Seed);
        using var model = Checkpoint.Load(Path.Combine(dir, "model.ckpt"));
        Assert.Equal("model", model.Header.Kind);
        Assert.False(model.IsResumable);
    }

    [Fact]
    public void A_non_finite_loss_stops_before_the_update_and_leaves_the_checkpoint_intact()
    {
        string dir = TestData.TempDir();
        var data = TestData.RandomImages();
        using var trainer = new Trainer(Tiny(1), data, dir);
        trainer.Run();
        string checkpointPath = Path.Combine(dir, "checkpoint.ckpt");
        byte[] before = File.ReadAllBytes(checkpointPath);
        var weights = trainer.Network.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.clone());

        using var x = data.First(8);
        x[0, 0, 0, 0] = float.NaN;
        var ex = Assert.Throws<NonFiniteLossException>(() => trainer.TrainStep(x));
        Assert.Contains("not finite", ex.Message);
        Assert.Equal(1, trainer.Step);
        foreach (var (name, value) in trainer.Network.named_parameters())
            Assert.True(value.Same(weights[name]), $"{name} changed although the step was refused");
        Assert.Equal(before, File.ReadAllBytes(checkpointPath));
    }
}

public class FiniteGradientTests
{
    [Fact]
    public void A_finite_loss_with_a_non_finite_gradient_stops_before_the_update()
    {
        string dir = TestData.TempDir();
        var data = TestData.RandomImages();
        using var trainer = new Trainer(TrainerTests.Tiny(1), data, dir);
        trainer.Run();
        var weights = trainer.Network.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.clone());
        // What oneDNN did on the Zen-5 CPU: a convolution whose forward is right and whose weight gradient is NaN
        // (+ √(0·w) adds 0 going forward; its derivative is ∞·0 going back).
        using var broken = ConvolutionGuard.UseKernels(shape => shape.Kind == ConvKind.Transposed && shape.OutChannels == 1
            ? (x, w) => UnfoldConvolution.Apply(shape, x, w, null) + (w * 0).sqrt().sum()
            : null);
        using var x = data.First(8);
        var ex = Assert.Throws<NonFiniteLossException>(() => trainer.TrainStep(x));
        Assert.Contains("the gradient of decoder.deconv5.weight is not finite", ex.Message);
        Assert.Equal(1, trainer.Step);
        foreach (var (n, value) in trainer.Network.named_parameters())
            Assert.True(value.Same(weights[n]), $"{n} changed although the step was refused");
    }
}

public class MetricsLogTests
{
    [Fact]
    public void Resume_keeps_lines_up_to_the_checkpoint_and_drops_a_torn_last_line()
    {
        string path = Path.Combine(TestData.TempDir(), "metrics.jsonl");
        var lines = Enumerable.Range(1, 5).Select(s => Ign.IO.Json.Serialize(new StepMetrics { Step = s, Total = s }, indented: false)).ToList();
        File.WriteAllText(path, string.Join("\n", lines) + "\n{\"step\":6,\"epo");
        using (var log = new MetricsLog(path, keepUpToStep: 3))
        {
            Assert.Equal([1L, 2, 3], log.Entries.Select(e => e.Step));
            log.Append(new StepMetrics { Step = 4, Total = 40 });
        }
        var reread = File.ReadAllLines(path).Select(l => Ign.IO.Json.Deserialize<StepMetrics>(l)).ToList();
        Assert.Equal([1f, 2, 3, 40], reread.Select(m => m.Total));
    }
}
