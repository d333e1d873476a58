using System.CommandLine;
using Ign.Training;

namespace Ign.Cli.Commands;

/// <summary>`ign curves`: several training runs' loss and sample curves on one picture (<see cref="RunCurves"/>).
/// </summary>
public static class CurvesCommand
{
    private static readonly Option<string[]> Runs = Opt.Many("--run",
        "training run folders (with metrics.jsonl; samples.jsonl for the samples' spread and colour)", required: true);
    private static readonly Option<string> Out = Opt.With("--out", "curves.png", "PNG file to write");
    private static readonly Option<int> Window = Opt.With("--window", 25,
        "logged steps (lines of metrics.jsonl) in the moving average of the loss curves");

    public static Command Create()
    {
        var command = new Command("curves",
            "plot several runs' curves side by side (seeds of a recipe, or variants): loss terms, total, and the " +
            "samples' spread and colour, where a collapse shows");
        foreach (var o in new Option[] { Runs, Out, Window }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            int window = parse.GetValue(Window);
            if (window < 1) throw new ArgumentException($"--window must be at least 1, got {window}");
            var runs = parse.GetValue(Runs)!.Select(RunCurves.Read).ToList();
            string outPath = parse.GetValue(Out)!;
            RunCurves.Save(outPath, runs, window);
            CommandErrors.Info($"wrote [blue]{outPath}[/]: {string.Join(", ", runs.Select(Summary))}");
            return 0;
        }));
        return command;
    }

    /// <summary>A thinned log (tools/thin-run-log.py) has fewer lines than steps: both are said.</summary>
    private static string Summary(RunCurves.Run run) =>
        $"{run.Name} ({run.Metrics.Count} logged steps to step {run.Metrics.LastOrDefault()?.Step ?? 0}, " +
        $"{run.Samples.Count} grids)";
}
