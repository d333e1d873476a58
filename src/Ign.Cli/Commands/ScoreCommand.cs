using System.CommandLine;
using System.Globalization;
using Ign.Evaluation;
using Ign.Imaging;
using Ign.IO;
using Ign.Normalization;
using Spectre.Console;
using static TorchSharp.torch;

namespace Ign.Cli.Commands;

/// <summary>`ign score`: how far each picture is from the data, as f sees it, calibrated on the test set.</summary>
public static class ScoreCommand
{
    private static readonly Option<string?> CheckpointOption = ModelOptions.Checkpoint();
    private static readonly Option<string[]> Inputs =
        Opt.Many("--input", "image file(s): PNG, JPEG, WebP, ... any size, grey or colour");
    private static readonly Option<int> Calibrate = Opt.With("--calibrate", 2000,
        "test images whose distances calibrate the percentile (the first N of the model's test set)");
    private static readonly Option<string?> JsonOut = Opt.Of<string?>("--json", "also write the scores to this file");
    private static readonly Option<string?> Roc = Opt.Of<string?>("--roc", "instead of --input: how well the score " +
        "tells other images (Fashion-MNIST where installed, font and canvas digits, prior noise) from test images; " +
        "writes roc.png, roc.json and roc.md into this folder");
    private static readonly Option<int> Count = Opt.With("--count", 2000, "images per set for --roc");
    private static readonly Option<string> Norm = ModelOptions.Norm("auto");
    private static readonly Option<string> DeviceOption = ModelOptions.Device();

    public static Command Create()
    {
        var command = new Command("score",
            "Out-of-distribution score: |f(x) − x| and |f(f(x)) − f(x)| per image, and the first's percentile among " +
            "test images (100: farther from the data than every one of them)");
        foreach (var o in new Option[] { CheckpointOption, Inputs, Roc, Count, Calibrate, JsonOut, Norm, DeviceOption })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        var files = parse.GetValue(Inputs) ?? [];
        string? rocFolder = parse.GetValue(Roc);
        if ((files.Length == 0) == (rocFolder is null))
            throw new ArgumentException("give either --input FILE... or --roc FOLDER");
        if (files.Length > 10_000) throw new ArgumentException("at most 10 000 --input images at once");
        foreach (var file in files)
            if (!File.Exists(file)) throw new FileNotFoundException($"{file}: file not found");
        int calibrate = parse.GetValue(Calibrate);
        if (calibrate is < 10 or > 100_000) throw new ArgumentException("--calibrate must be between 10 and 100 000");
        var mode = NormModes.Parse(parse.GetValue(Norm)!);

        int count = parse.GetValue(Count);
        if (count is < 10 or > 10_000) throw new ArgumentException("--count must be between 10 and 10 000");

        using var model = ModelOptions.Load(parse.GetValue(CheckpointOption), parse.GetValue(DeviceOption)!);
        using var scope = NewDisposeScope();
        var scorer = OutOfDistribution.Calibrated(model, calibrate, mode);
        if (rocFolder is not null)
        {
            var rows = OutOfDistribution.Study(model, scorer, count, Console.WriteLine);
            OutOfDistributionReport.Write(rocFolder, rows);
            foreach (var row in rows)
                Console.WriteLine($"{row.Set,-14} ROC AUC {row.ByDistance.Area:F4} by |f(x) − x|, " +
                                  $"{row.ByIdempotenceGap.Area:F4} by |f(f(x)) − f(x)|");
            Console.WriteLine($"wrote {Path.Combine(rocFolder, "roc.png")}, roc.json and roc.md");
            return 0;
        }
        var options = ImageLoadOptions.ForModel(model.Channels, model.ImageSize);
        var x = cat(files.Select(file => ImageLoader.Load(file, model.Channels, model.ImageSize, options)).ToList(), 0)
            .to(model.Device);                                                                 // (N, C, S, S)
        var scores = scorer.Score(x);

        var table = new Table().AddColumns("image", "|f(x) − x|", "|f(f(x)) − f(x)|", "percentile");
        for (int i = 0; i < files.Length; i++)
            table.AddRow(Markup.Escape(files[i]), F(scores[i].Distance), F(scores[i].IdempotenceGap),
                scores[i].Percentile.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        if (parse.GetValue(JsonOut) is { } json)
            AtomicFile.WriteAllText(json, Json.Serialize(files.Select((file, i) => new
            {
                Image = file, scores[i].Distance, scores[i].IdempotenceGap, scores[i].Percentile,
            }).ToArray()));
        return 0;
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
