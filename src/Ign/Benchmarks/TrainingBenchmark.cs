using System.Diagnostics;
using Ign.Data;
using Ign.Models;
using Ign.Runtime;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Ign.Normalization;

namespace Ign.Benchmarks;

public sealed record ThroughputResult(
    int Batch,
    double TrainImagesPerSecond, double GenerateImagesPerSecond,
    double[] TrainWindows, double[] GenerateWindows);
public sealed record PeakResult(double ConvGflops, double MatmulGflops);
public sealed record MemoryResult(
    int Steps, double RssStartMiB, double RssEndMiB, double GrowthPercent, double PeakRssMiB);

/// <summary>
/// Measures what `ign bench` reports: training and generation img/s (median of timed windows after
/// warm-up), this machine's libtorch peak on the model's heaviest convolution and on a matmul, and
/// resident memory over many steps. Uses the real Trainer step and Sampler, so it measures what users run.
/// </summary>
public static class TrainingBenchmark
{
    public static ThroughputResult Throughput(TrainConfig config, int batch, int steps, int windows, int warmup = 3)
    {
        var data = SyntheticImages(batch * 2, config.Model);
        using var trainer = new Trainer(config with { BatchSize = batch, MaxSteps = null }, data, Path.GetTempPath());
        using var x = data.First(batch);
        for (int i = 0; i < warmup; i++) trainer.TrainStep(x);
        var train = Windows(windows, steps, () => trainer.TrainStep(x)).Select(s => batch / s).ToArray();

        using var z = trainer.Prior.Sample(batch, CPU);
        for (int i = 0; i < warmup; i++) Generate(trainer.Network, z);
        var generate = Windows(windows, Math.Max(steps, 10), () => Generate(trainer.Network, z))
            .Select(s => batch / s)
            .ToArray();
        return new ThroughputResult(batch, Median(train), Median(generate), train, generate);
    }

    public static MemoryResult Memory(TrainConfig config, int batch, int steps)
    {
        var data = SyntheticImages(batch * 2, config.Model);
        using var trainer = new Trainer(config with { BatchSize = batch, MaxSteps = null }, data, Path.GetTempPath());
        using var x = data.First(batch);
        int settle = Math.Max(5, steps / 5);
        for (int i = 0; i < settle; i++) trainer.TrainStep(x);
        double start = ProcessMemory.ResidentMiB();
        for (int i = 0; i < steps; i++) trainer.TrainStep(x);
        double end = ProcessMemory.ResidentMiB();
        return new MemoryResult(steps, start, end, 100 * (end - start) / start, ProcessMemory.PeakResidentMiB());
    }

    /// <summary>
    /// Forward+backward GFLOP/s of Conv2d 256→512 k3 on (256, 256, 5, 5), and GFLOP/s of a 2048² matmul.
    /// </summary>
    public static PeakResult Peak(int repeats = 5)
    {
        using var scope = NewDisposeScope();
        var conv = Conv2d(256, 512, 3, bias: false);
        var input = randn(256, 256, 5, 5).requires_grad_();
        double convFlops = 3 * 2.0 * conv.weight.numel() * 3 * 3 * 256; // fwd + input grad + weight grad
        void ConvStep()
        {
            using var s = NewDisposeScope();
            conv.weight.grad?.zero_();
            input.grad?.zero_();
// the peak is libtorch's own kernel (256→512 channels: aligned, checked right by ign doctor)
#pragma warning disable RS0030
            conv.forward(input).sum().backward();
#pragma warning restore RS0030
        }
        ConvStep();
        double convSeconds = Median(Windows(repeats, 3, ConvStep));

        var a = randn(2048, 2048);
        var b = randn(2048, 2048);
        void MatmulStep() { using var s = NewDisposeScope(); a.matmul(b); }
        MatmulStep();
        double matmulSeconds = Median(Windows(repeats, 3, MatmulStep));
        conv.Dispose();
        return new PeakResult(convFlops / convSeconds / 1e9, 2.0 * 2048 * 2048 * 2048 / matmulSeconds / 1e9);
    }

    private static void Generate(Module<Tensor, Tensor> f, Tensor z)
    {
        using var scope = NewDisposeScope();
        Sampler.Iterate(f, z, [1], NormMode.Running);
    }

    /// <summary>
    /// Seconds per call in each of <paramref name="windows"/> windows of <paramref name="calls"/> calls.
    /// </summary>
    private static double[] Windows(int windows, int calls, Action action)
    {
        var result = new double[windows];
        for (int w = 0; w < windows; w++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) action();
            result[w] = clock.Elapsed.TotalSeconds / calls;
        }
        return result;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>n random images of the shape the model is made for (1×28×28 or 3×64×64).</summary>
    private static ImageDataset SyntheticImages(int n, string model)
    {
        int channels = ModelFactory.UsualChannels(model), size = ModelFactory.ImageSize(model);
        var pixels = new byte[n * channels * size * size];
        new Random(0).NextBytes(pixels);
        return new ImageDataset("synthetic", pixels, n, channels, size, size);
    }
}
