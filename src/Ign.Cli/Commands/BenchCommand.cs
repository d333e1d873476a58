using System.CommandLine;
using Ign.Benchmarks;
using Ign.IO;
using Ign.Models;
using Ign.Numerics;
using Ign.Runtime;
using Ign.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign bench`: training and generation throughput against this machine's own libtorch peak, and memory.
/// </summary>
public static class BenchCommand
{
    private static readonly Option<string> ModelOption = Opt.With("--model", "dcgan-mnist", "architecture");
    private static readonly Option<int> Width = Opt.With("--width", 64, "base width c (64 = seed 002)");
    private static readonly Option<string> Batches = Opt.With("--batch", "64,256", "batch sizes, comma-separated");
    private static readonly Option<int> Threads = Opt.With("--threads", 0, "torch threads (0 = one per core)");
    private static readonly Option<int> StepsOption = Opt.With("--steps", 5, "timed steps per window");
    private static readonly Option<int> WindowsOption =
        Opt.With("--windows", 5, "timed windows (the median is reported)");
    private static readonly Option<int> MemorySteps =
        Opt.With("--memory-steps", 200, "training steps over which RSS growth is measured (0 = skip)");
    private static readonly Option<bool> LossCheckOption = Opt.Of<bool>("--loss-check",
        "only print the seed-002 losses on formula-defined weights and inputs (compare with bench/peer_losses.py)");
    private static readonly Option<bool> ProfileOption =
        Opt.Of<bool>("--profile", "also time every layer, forward and backward, at the largest batch");
    private static readonly Option<string> Out = Opt.With("--out", "bench.json", "JSON report");

    public static Command Create()
    {
        var command = new Command("bench",
            "measure training/generation img/s, this CPU's libtorch peak, step efficiency and memory");
        foreach (var o in new Option[] { ModelOption, Width, Batches, Threads, StepsOption, WindowsOption, MemorySteps,
            LossCheckOption, ProfileOption, Out }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    private static void PrintProfile(List<LayerTiming> profile, int batch)
    {
        Console.WriteLine(
            $"per-layer profile, batch {batch} (ms; GFLOP/s for convolutions; backward = input + weight gradients):");
        Console.WriteLine($"{"layer",-16} {"output",-22} {"fwd ms",8} {"fwd GF/s",9} {"bwd ms",8} {"bwd GF/s",9}");
        foreach (var t in profile)
            Console.WriteLine($"{t.Layer,-16} {t.OutputShape,-22} {t.ForwardMs,8:F2} " +
                $"{(t.ForwardGflops > 0 ? t.ForwardGflops.ToString("F0") : "-"),9} {t.BackwardMs,8:F2} " +
                $"{(t.BackwardGflops > 0 ? t.BackwardGflops.ToString("F0") : "-"),9}");
        double fwd = profile.Sum(t => t.ForwardMs), bwd = profile.Sum(t => t.BackwardMs);
        double convFwd = profile.Where(t => t.ForwardGflop > 0).Sum(t => t.ForwardMs),
            convBwd = profile.Where(t => t.ForwardGflop > 0).Sum(t => t.BackwardMs);
        Console.WriteLine($"total: forward {fwd:F1} ms ({convFwd:F1} in convolutions), " +
            $"backward {bwd:F1} ms ({convBwd:F1} in convolutions); " +
            $"an IGN step ≈ 4 forward + 3.5 backward ≈ {4 * fwd + 3.5 * bwd:F0} ms");
    }

    private static int Execute(ParseResult parse)
    {
        int threads = parse.GetValue(Threads), steps = parse.GetValue(StepsOption),
            windows = parse.GetValue(WindowsOption), memorySteps = parse.GetValue(MemorySteps);
        if (steps < 1 || windows < 1 || memorySteps < 0)
            throw new ArgumentException("--steps and --windows must be positive, --memory-steps ≥ 0");
        var batches = Steps.Parse(parse.GetValue(Batches)!, max: 4096);
        if (batches.Any(b => b < 2))
            throw new ArgumentException("--batch sizes must be at least 2 (BatchNorm needs a batch)");
        if (threads > 0) set_num_threads(threads);
        if (parse.GetValue(LossCheckOption))
        {
            foreach (var (dtype, name) in new[] { (ScalarType.Float32, "float32"), (ScalarType.Float64, "float64") })
            {
                var (rec, idem, tight, total) = LossCheck.SeedLosses(parse.GetValue(Width), dtype);
                Console.WriteLine(FormattableString.Invariant(
                    $"{name} losses: rec {rec:F6} idem {idem:F6} tight {tight:F6} total {total:F6}"));
            }
            return 0;
        }
        var config = TrainConfig.FromPreset("seed002") with
        {
            Model = parse.GetValue(ModelOption)!, BaseWidth = parse.GetValue(Width), Threads = threads,
        };
        config.Validate();

        long[] imageShape = [ModelFactory.UsualChannels(config.Model), ModelFactory.ImageSize(config.Model),
            ModelFactory.ImageSize(config.Model)];
        using var network = ModelFactory.Create(config.Model, (int)imageShape[0], (int)imageShape[1], config.BaseWidth);
        double forwardFlops = FlopCounter.ForwardFlopsPerImage(network, imageShape);
        double stepFlops = FlopCounter.IgnStepFlopsPerImage(forwardFlops);
        CommandErrors.Info($"[bold]ign bench[/] {config.Model} width {config.BaseWidth} " +
            $"on {string.Join("×", imageShape)} images: " +
            $"{network.parameters().Sum(p => p.numel()) / 1e6:F2} M parameters, " +
            $"{forwardFlops / 1e6:F1} MFLOP forward, {stepFlops / 1e9:F3} GFLOP per IGN step per image; " +
            $"{get_num_threads()} threads");

        var uses = ConvolutionGuard.Uses(network, imageShape[0], imageShape[1]).DistinctBy(u => u.Shape).ToList();
        int rerouted = uses.Count(u => u.Path != ConvPath.Libtorch);
        string guard = $"guard {ConvolutionGuard.Mode.ToString().ToLowerInvariant()}: " +
            $"{rerouted} of {uses.Count} convolution shapes rerouted" +
            (rerouted == 0 ? "" : $" ({ConvPaths.CountDetours(uses.Select(u => u.Path))})");
        CommandErrors.Info(
            Markup.Escape($"CPU {CpuDescription.Model}; oneDNN ISA {CpuDescription.OneDnnIsa}; {guard}"));

        var peak = TrainingBenchmark.Peak();
        var results = new List<ThroughputResult>();
        foreach (int b in batches) results.Add(TrainingBenchmark.Throughput(config, b, steps, windows));
        var profile = parse.GetValue(ProfileOption) ? LayerProfile.Measure(network, batches.Max(), imageShape) : null;
        var memory = memorySteps > 0 ? TrainingBenchmark.Memory(config, batches.Max(), memorySteps) : null;

        var rows = new List<string[]>();
        rows.Add(new[] { "conv peak", $"{peak.ConvGflops:F0} GFLOP/s",
            "Conv2d 256→512 k3 on 256×256×5×5, forward+backward" });
        rows.Add(new[] { "matmul peak", $"{peak.MatmulGflops:F0} GFLOP/s", "2048² fp32" });
        foreach (var r in results)
        {
            double efficiency = stepFlops * r.TrainImagesPerSecond / (peak.ConvGflops * 1e9);
            rows.Add(new[] { $"train b={r.Batch}", $"{r.TrainImagesPerSecond:F1} img/s",
                $"{stepFlops * r.TrainImagesPerSecond / 1e9:F0} GFLOP/s, efficiency {efficiency:F2} of conv peak" });
            rows.Add(new[] { $"generate b={r.Batch}", $"{r.GenerateImagesPerSecond:F0} img/s",
                "one application of f, no grad, running statistics" });
        }
        if (memory is not null)
            rows.Add(new[] { "memory", $"{memory.PeakRssMiB:F0} MiB peak RSS",
                $"RSS {memory.RssStartMiB:F0} → {memory.RssEndMiB:F0} MiB over {memory.Steps} steps " +
                $"({memory.GrowthPercent:+0.0;-0.0} %)" });
        if (Console.IsOutputRedirected)
            foreach (var row in rows) Console.WriteLine($"{row[0],-14} {row[1],-22} {row[2]}");
        else
        {
            var table = new Table().AddColumns("measure", "value", "notes");
            foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
        }

        if (profile is not null) PrintProfile(profile, batches.Max());

        string outPath = parse.GetValue(Out)!;
        AtomicFile.WriteAllText(outPath, Json.Serialize(new
        {
            model = config.Model, width = config.BaseWidth, threads = get_num_threads(),
            forwardFlopsPerImage = forwardFlops, stepFlopsPerImage = stepFlops,
            peak, throughput = results.Select(r => new
            {
                r.Batch, r.TrainImagesPerSecond, r.GenerateImagesPerSecond,
                efficiency = stepFlops * r.TrainImagesPerSecond / (peak.ConvGflops * 1e9),
                r.TrainWindows, r.GenerateWindows
            }),
            memory, profile, numerics = new { cpu = CpuDescription.Model, oneDnnIsa = CpuDescription.OneDnnIsa, guard },
            machine = new
            {
                Environment.ProcessorCount, os = Environment.OSVersion.ToString(),
                mallocTuned = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null
            },
            createdUtc = DateTime.UtcNow.ToString("O"),
        }));
        CommandErrors.Info($"wrote [blue]{outPath}[/]");
        return 0;
    }
}
