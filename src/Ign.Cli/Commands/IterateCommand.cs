using Ign.Training;
using System.Diagnostics;
using System.CommandLine;
using System.Globalization;
using System.Text;
using Ign.Imaging;
using Ign.IO;
using Ign.Sampling;
using Spectre.Console;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign iterate`: f^k(z) for k up to hundreds of thousands, with the per-step change, to see drift or a fixed point.
/// </summary>
public static class IterateCommand
{
    private static readonly Option<string?> CheckpointOption = ModelOptions.Checkpoint();
    private static readonly Option<int> Count = Opt.With("--count", 8, "how many z");
    private static readonly Option<string> Ks =
        Opt.With("--k", "0,1,2,3,10,100,1000,3000", "k of f^k(z) to show (0 = z itself)");
    private static readonly Option<int> Seed = Opt.With("--seed", 0, "seed of z");
    private static readonly Option<string> Norm = ModelOptions.Norm("running");
    private static readonly Option<string> Out = Opt.With("--out", "iterate.png",
        "grid PNG (one column per k); the change plot and CSV go next to it");
    private static readonly Option<string> DeviceOption = ModelOptions.Device();

    public static Command Create()
    {
        var command = new Command("iterate",
            "apply f again and again: f^k(z) for the asked k, and the change |f^(k+1) − f^k| at every step");
        foreach (var o in new Option[] { CheckpointOption, Count, Ks, Seed, Norm, Out, DeviceOption })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        int count = parse.GetValue(Count);
        if (count is < 1 or > 1024) throw new ArgumentException("--count must be between 1 and 1024");
        var ks = Steps.Parse(parse.GetValue(Ks)!, max: 10_000_000, option: "--k").Distinct().Order().ToArray();
        if (ks[^1] == 0) throw new ArgumentException("--k needs at least one k ≥ 1");
        string outPath = parse.GetValue(Out)!;
        ModelOptions.RequirePng(outPath, "--out");
        var mode = NormModes.Parse(parse.GetValue(Norm)!);
        using var model = ModelOptions.Load(parse.GetValue(CheckpointOption), parse.GetValue(DeviceOption)!);

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)parse.GetValue(Seed));
        var z = model.Prior.Sample(count, model.Device, generator); // (N, C, H, W)
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        var clock = Stopwatch.StartNew();
        List<Tensor> outputs;
        double[] changes;
        try
        {
            (outputs, changes) = RunWithProgress(model, z, ks, mode, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("error: interrupted; nothing written");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        double seconds = clock.Elapsed.TotalSeconds;

        ImageGrid.SavePng(outPath, outputs, columns: 1, scale: 2); // z (k = 0) is clamped to [-1, 1] as it is drawn
        string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!,
            Path.GetFileNameWithoutExtension(outPath));
        SaveChangePlot(stem + "-change.png", changes);
        var csv = new StringBuilder("k,mean_abs_change_to_next\n");
        for (int k = 0; k < changes.Length; k++)
            csv.Append(k).Append(',').Append(changes[k].ToString("G6", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteAllText(stem + "-change.csv", csv.ToString());
        AtomicFile.WriteAllText(stem + ".json", Json.Serialize(new
        {
            command = "iterate", modelStep = model.Step, count, k = ks, seed = parse.GetValue(Seed),
            norm = parse.GetValue(Norm), seconds,
            stepsPerSecond = ks[^1] / seconds,
            changeAt = ks.Where(k => k < changes.Length).Select(k => new { k, change = changes[k] }),
            lastChange = changes[^1],
        }));
        CommandErrors.Info($"wrote [blue]{outPath}[/] (columns k = {string.Join(", ", ks)}), " +
            $"{Path.GetFileName(stem)}-change.png and .csv: " +
            $"{ks[^1]} applications of f to {count} images in {seconds:F1} s; " +
            $"change at the last step {changes[^1]:G3}");
        return 0;
    }

    private static (List<Tensor>, double[]) RunWithProgress(TrainedModel model, Tensor z, int[] ks, NormMode mode,
        CancellationToken cancel)
    {
        int last = ks[^1];
        if (Console.IsOutputRedirected || last < 2000)
            return model.ApplyWithChanges(z, ks, mode,
                k => { if (k % 50_000 == 0) Console.WriteLine($"k = {k}/{last}"); }, cancel);
        (List<Tensor>, double[]) result = default;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"f^k(z), k up to {last}", maxValue: last);
                result = model.ApplyWithChanges(z, ks, mode,
                    k => { if (k % 100 == 0 || k == last) task.Value = k; }, cancel);
            });
        return result;
    }

    private static void SaveChangePlot(string path, double[] changes)
    {
        var plot = new ScottPlot.Plot();
        // log-log: k from 1, with every point up to 1000 and log-spaced ones after, so the file stays small
        var ks = Enumerable.Range(0, changes.Length)
            .Where(k => k < 1000 || k % Math.Max(1, (int)Math.Pow(10, Math.Floor(Math.Log10(k)) - 2)) == 0).ToArray();
        double[] xs = ks.Select(k => Math.Log10(k + 1)).ToArray();
        double[] ys = ks.Select(k => Math.Log10(Math.Max(changes[k], 1e-12))).ToArray();
        plot.Add.ScatterLine(xs, ys);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => Math.Abs(v - Math.Round(v)) < 1e-9 ? $"1e{v:0}" : "",
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => Math.Abs(v - Math.Round(v)) < 1e-9 ? $"1e{v:0}" : "",
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
        plot.Title("Change per application: mean |f^(k+1)(z) − f^k(z)|");
        plot.XLabel("k + 1 (log scale)");
        plot.YLabel("mean absolute change (log scale)");
        byte[] png = plot.GetImageBytes(800, 450, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }
}
