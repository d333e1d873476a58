using System.CommandLine;
using Ign.IO;
using Ign.Models;
using Ign.Numerics;
using Ign.Training;
using Spectre.Console;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign doctor`: checks every convolution shape of a model against the managed float64 reference on this CPU, forward
/// and backward, with freed memory poisoned before each run, and prints the table with the CPU, the oneDNN ISA and the
/// libtorch version. Its verdicts replace the cached ones, so a longer check here hardens what every command then uses.
/// </summary>
public static class DoctorCommand
{
    private static readonly Option<string?> CheckpointOption = ModelOptions.Checkpoint();
    private static readonly Option<string> Preset =
        Opt.With("--preset", "tuned", "check this preset's model (when no --checkpoint)");
    private static readonly Option<string?> ModelOption =
        Opt.Of<string?>("--model", "architecture, overriding the preset's");
    private static readonly Option<int?> Width = Opt.Of<int?>("--width", "base width, overriding the preset's");
    private static readonly Option<int?> Channels =
        Opt.Of<int?>("--channels", "image channels (default: the architecture's usual)");
    private static readonly Option<int> Repetitions =
        Opt.With("--repetitions", 5, "poisoned runs per shape and batch size");
    private static readonly Option<string?> Out = Opt.Of<string?>("--out", "also write the table as JSON");

    public static Command Create()
    {
        var command = new Command("doctor",
            "check this CPU's convolutions for a model against a float64 reference: " +
            "which shapes libtorch gets wrong here");
        foreach (var o in new Option[] { CheckpointOption, Preset, ModelOption, Width, Channels, Repetitions, Out })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    /// <summary>One shape: libtorch's result, and the detour's where libtorch is wrong.</summary>
    private sealed record Row(string Layers, ConvShape Shape, ConvCheckResult Libtorch, ConvCheckResult? Detour,
        ConvPath Path);

    private static int Execute(ParseResult parse)
    {
        int repetitions = parse.GetValue(Repetitions);
        if (repetitions < 1) throw new ArgumentException("--repetitions must be at least 1");
        var (model, width, channels, size) = Describe(parse);
        bool silenced = NativeLibtorch.SilenceUnusableNnpack();
        CommandErrors.Info(
            $"[bold]ign doctor[/] {Markup.Escape(model)} width {width}, {channels}×{size}×{size} images");
        foreach (var line in Environment(silenced)) CommandErrors.Info(Markup.Escape(line));

        List<ConvUse> uses;
        using (ConvolutionGuard.UseVerdicts(_ => ConvPath.Libtorch)) // collect the shapes without checking them yet
        {
            using var network = ModelFactory.Create(model, channels, size, width);
            var names = network.named_modules().Where(m => m.module is Convolution)
                .ToDictionary(m => (object)m.module, m => m.name);
            uses = ConvolutionGuard.Uses(network, channels, size);
            var rows = Check(uses, names, repetitions);
            Print(rows);
            Summarise(rows);
            if (parse.GetValue(Out) is { } outPath) Save(outPath, model, width, rows);
        }
        return 0;
    }

    private static List<Row> Check(List<ConvUse> uses, Dictionary<object, string> names, int repetitions)
    {
        var rows = new List<Row>();
        foreach (var group in uses.GroupBy(u => u.Shape))
        {
            var shape = group.First().Shape;
            string layers = string.Join(", ",
                group.Select(u => u.Layer is { } l && names.TryGetValue(l, out var n) ? n : "(functional)").Distinct());
            // libtorch first, then padded channels, then unfold, then f64
            var (chosen, results) = ConvolutionCheck.Choose(shape, repetitions);
            var path = chosen ?? throw new NumericsException(
                $"no path computes {shape} correctly on this CPU; please report this table");
            ConvolutionGuard.Remember(shape, path);
            rows.Add(new Row(layers, shape, results[0], path == ConvPath.Libtorch ? null : results[^1], path));
        }
        return rows;
    }

    private static IEnumerable<string> Environment(bool nnpackSilenced)
    {
        yield return $"CPU: {CpuDescription.Model}; AVX-512: {(CpuDescription.HasAvx512 ? "yes" : "no")}";
        yield return $"oneDNN ISA: {CpuDescription.OneDnnIsa} " +
            $"(ONEDNN_MAX_CPU_ISA {(CpuDescription.IsaCap is null ? "not set" : "set by you")})";
        yield return $"libtorch {CpuDescription.LibtorchVersion} " +
            $"(TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}), {get_num_threads()} threads";
        yield return $"guard: {ConvolutionGuard.Mode.ToString().ToLowerInvariant()} (IGN_CONV_GUARD); " +
            $"verdicts cached in {ConvolutionGuard.Cache.Path}";
        if (nnpackSilenced)
            yield return "NNPACK: cannot initialise on this CPU; " +
                "switched off (its warnings silenced, no number changes)";
    }

    private static void Print(List<Row> rows)
    {
        static string Error(double e) => double.IsPositiveInfinity(e) ? "NaN/inf" : e.ToString("0.0e+0");
        static string Verdict(ConvCheckResult r) => r.Passed ? "right" : $"WRONG {r.Failures}/{r.Runs}";
        string[] header = ["layers", "shape", "libtorch y", "∂x", "∂w", "libtorch", "detour's error", "runs on"];
        var table = rows.Select(r => new[]
        {
            r.Layers, r.Shape.ToString(), Error(r.Libtorch.OutputError), Error(r.Libtorch.InputGradientError),
            Error(r.Libtorch.WeightGradientError), Verdict(r.Libtorch),
            r.Detour is null ? "-" : Error(r.Detour.WorstError), r.Path.Short(),
        }).ToList();
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(string.Join(" | ", header));
            foreach (var row in table) Console.WriteLine(string.Join(" | ", row));
            return;
        }
        var grid = new Table().AddColumns(header);
        foreach (var row in table) grid.AddRow(row.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(grid);
    }

    private static void Summarise(List<Row> rows)
    {
        int wrong = rows.Count(r => r.Path != ConvPath.Libtorch);
        CommandErrors.Info(wrong == 0
            ? $"all {rows.Count} convolution shapes agree with the float64 reference " +
                $"(relative error ≤ {ConvolutionCheck.Tolerance:G1}): libtorch runs them all"
            : $"[yellow]{wrong} of {rows.Count} shapes are computed wrongly by libtorch on this CPU[/]: " +
                $"the guard runs them on detours ({ConvPaths.CountDetours(rows.Select(r => r.Path))}), " +
                "the rest on libtorch");
    }

    private static (string Model, int Width, int Channels, int Size) Describe(ParseResult parse)
    {
        string model; int width, channels;
        if (parse.GetValue(CheckpointOption) is { } path)
        {
            using var trained = TrainedModel.Load(path, CPU);
            (model, width, channels) = (trained.Config.Model, trained.Config.BaseWidth, trained.Channels);
        }
        else
        {
            var preset = TrainConfig.FromPreset(parse.GetValue(Preset)!);
            (model, width) = (preset.Model, preset.BaseWidth);
            channels = ModelFactory.UsualChannels(model);
        }
        model = parse.GetValue(ModelOption) ?? model;
        width = parse.GetValue(Width) ?? width;
        channels = parse.GetValue(Channels) ?? channels;
        return (model, width, channels, ModelFactory.ImageSize(model));
    }

    private static double? Finite(double error) => double.IsFinite(error) ? error : null; // NaN/∞ → null in JSON

    private static void Save(string path, string model, int width, List<Row> rows) =>
        AtomicFile.WriteAllText(path, Json.Serialize(new
        {
            model, width, cpu = CpuDescription.Model, oneDnnIsa = CpuDescription.OneDnnIsa,
            libtorch = CpuDescription.LibtorchVersion, threads = get_num_threads(),
            tolerance = ConvolutionCheck.Tolerance,
            shapes = rows.Select(r => new
            {
                r.Layers, shape = r.Shape.ToString(), outputError = Finite(r.Libtorch.OutputError),
                inputGradientError = Finite(r.Libtorch.InputGradientError),
                weightGradientError = Finite(r.Libtorch.WeightGradientError),
                libtorchFailures = r.Libtorch.Failures, runs = r.Libtorch.Runs,
                detourError = r.Detour is null ? null : Finite(r.Detour.WorstError), path = r.Path.ToString(),
            }),
        }));
}
