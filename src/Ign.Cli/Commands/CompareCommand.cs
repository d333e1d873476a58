using System.CommandLine;
using Ign.Evaluation;
using Ign.IO;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign compare`: evaluation reports side by side as one Markdown table (variants × metrics, spread over seeds).
/// </summary>
public static class CompareCommand
{
    private static readonly Option<string[]> Reports = Opt.Many("--report",
        "report.json files from ign evaluate (runs named <variant>-s<seed> are grouped)", required: true);
    private static readonly Option<string> Out = Opt.With("--out", "comparison.md", "Markdown file to write");

    public static Command Create()
    {
        var command = new Command("compare",
            "tabulate several evaluation reports: one row per variant, mean ± half-range over seeds");
        command.Options.Add(Reports);
        command.Options.Add(Out);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            var paths = parse.GetValue(Reports)!;
            foreach (var p in paths) if (!File.Exists(p)) throw new FileNotFoundException($"{p}: file not found");
            string outPath = parse.GetValue(Out)!;
            var entries = paths.Select(p => ReportComparison.Read(p)).ToList();
            AtomicFile.WriteAllText(outPath,
                ReportComparison.Markdown(entries, Path.GetDirectoryName(Path.GetFullPath(outPath))!));
            CommandErrors.Info($"wrote [blue]{outPath}[/]: " +
                $"{entries.Select(e => e.Variant).Distinct().Count()} variants from {entries.Count} reports");
            return 0;
        }));
        return command;
    }
}
