using System.CommandLine;
using Ign.Data;
using Ign.Imaging;
using Ign.IO;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign data pack`: a folder of pictures → one IDX file of square images (how data/emoji/ is made).
/// </summary>
public static class DataCommand
{
    private static readonly Option<string> Folder = Opt.Required<string>("--folder",
        "folder of PNG/JPEG pictures (searched recursively, taken in path order)");
    private static readonly Option<string> Out = Opt.Required<string>("--out",
        "IDX file to write, (N, S, S, 3) or (N, S, S) for --channels 1; gzip-compressed when it ends in .gz");
    private static readonly Option<int> Size = Opt.With("--size", 64, "side S of the square images");
    private static readonly Option<string> Fit =
        Opt.With("--fit", "crop", "crop (centre square) | pad (whole picture on the background) | stretch");
    private static readonly Option<string> BackgroundOption =
        Opt.With("--background", "white", "white | black: behind transparent pixels and padding");
    private static readonly Option<int> Channels = Opt.With("--channels", 3, "3 (RGB) or 1 (luma)");
    private static readonly Option<string?> Names =
        Opt.Of<string?>("--names", "also write the relative path of each image, one a line, in the file's order");

    public static Command Create()
    {
        var command = new Command("data", "prepare data sets");
        var pack = new Command("pack",
            "decode a folder of pictures once into one IDX file: alpha composited, made square, resized");
        foreach (var o in new Option[] { Folder, Out, Size, Fit, BackgroundOption, Channels, Names })
            pack.Options.Add(o);
        pack.SetAction(parse => CommandErrors.Run(() => Pack(parse)));
        command.Subcommands.Add(pack);
        return command;
    }

    private static int Pack(ParseResult parse)
    {
        var options = new ImageFolderOptions
        {
            Fit = Enum.TryParse<FitMode>(parse.GetValue(Fit), ignoreCase: true, out var fit) && Enum.IsDefined(fit)
                ? fit
                : throw new ArgumentException($"--fit: '{parse.GetValue(Fit)}' is not crop, pad or stretch"),
            Background = Enum.TryParse<Background>(parse.GetValue(BackgroundOption), ignoreCase: true, out var b)
                && Enum.IsDefined(b)
                ? b
                : throw new ArgumentException(
                    $"--background: '{parse.GetValue(BackgroundOption)}' is not white or black"),
            Channels = parse.GetValue(Channels),
        };
        string outPath = parse.GetValue(Out)!;
        var result = ImageFolder.Load(parse.GetValue(Folder)!, parse.GetValue(Size), options, useCache: false);
        string sha256 = IdxImages.WriteFile(outPath, result.Images);
        if (parse.GetValue(Names) is { } namesPath)
            AtomicFile.WriteAllText(namesPath, string.Join("\n", result.Files) + "\n");
        CommandErrors.Info(Spectre.Console.Markup.Escape(result.Summary()));
        CommandErrors.Info($"wrote [blue]{Spectre.Console.Markup.Escape(outPath)}[/] " +
            $"({new FileInfo(outPath).Length / 1e6:F1} MB); SHA-256 of the uncompressed IDX: {sha256}");
        return 0;
    }
}
