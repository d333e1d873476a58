using System.CommandLine;
using Ign.Imaging;
using Ign.IO;
using Ign.Runtime;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign generate`: z from the model's prior, f^k(z) for the asked k, as one PNG grid (and raw IDX files).
/// </summary>
public static class GenerateCommand
{
    private static readonly Option<string?> CheckpointOption = Opt.Of<string?>("--checkpoint",
        "a model.ckpt or checkpoint.ckpt from ign train (default: the shipped models/ign-mnist.ckpt)");
    private static readonly Option<int> Count = Opt.With("--count", 64, "how many samples");
    private static readonly Option<string> StepsOption =
        Opt.With("--steps", "1,2,3", "applications of f to show, e.g. 1,2,3 (0 shows z)");
    private static readonly Option<string> Out = Opt.With("--out", "samples.png", "PNG grid to write");
    private static readonly Option<int> Seed = Opt.With("--seed", 0, "seed of the noise z");
    private static readonly Option<string> Norm = ModelOptions.Norm("auto");
    private static readonly Option<int> BatchSize =
        Opt.With("--batch", 256, "images per forward pass (batch statistics are per batch)");
    private static readonly Option<string?> Raw =
        Opt.Of<string?>("--raw", "also write the samples as uint8 IDX files, one per k: PREFIX_k<k>.idx");
    private static readonly Option<string> DeviceOption = ModelOptions.Device();
    private static readonly Option<string?> ClassOption = Opt.Of<string?>("--class",
        "a class-conditional model's class to generate (0, 1, ...); all: --count samples of every class, one row " +
        "each; random: each sample of a class drawn uniformly (unconditional samples through the classes, " +
        "better than the null class's: docs/quality.md section 18) (default: no class, the null class)");

    public static Command Create()
    {
        var command = new Command("generate", "generate images in one (or k) applications of f");
        foreach (var o in new Option[] { CheckpointOption, Count, StepsOption, Out, Seed, Norm, BatchSize, Raw,
            DeviceOption, ClassOption }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        int count = parse.GetValue(Count), batch = parse.GetValue(BatchSize), seed = parse.GetValue(Seed);
        if (count is < 1 or > 100_000) throw new ArgumentException("--count must be between 1 and 100000");
        if (batch < 1) throw new ArgumentException("--batch must be positive");
        var steps = Steps.Parse(parse.GetValue(StepsOption)!, max: 10_000);
        var mode = NormModes.Parse(parse.GetValue(Norm)!);
        string outPath = parse.GetValue(Out)!;
        if (!outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("--out must name a .png file");

        string checkpoint = parse.GetValue(CheckpointOption) ?? ModelFiles.ShippedModelPath();
        using var model = TrainedModel.Load(checkpoint, Devices.Parse(parse.GetValue(DeviceOption)!));
        mode = model.Resolve(mode);
        string norm = mode.ToString().ToLowerInvariant();
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        string? classText = parse.GetValue(ClassOption);
        var classes = ClassChoice.Labels(model, classText, count, seed: seed);   // (N) int64, or null: no class
        int total = classes is null ? count : (int)classes.shape[0];
        var z = model.Prior.Sample(total, model.Device, generator); // (N, C, H, W)
        var perStep = steps.Select(_ => new List<Tensor>()).ToArray();
        for (int start = 0; start < total; start += batch)
        {
            int n = Math.Min(batch, total - start);
            var outputs = model.Apply(z.narrow(0, start, n), steps, mode, InputKind.Noise,
                classes?.narrow(0, start, n));
            for (int i = 0; i < steps.Length; i++) perStep[i].Add(outputs[i]);
        }
        // each (N, C, H, W); z is clamped to [-1, 1] as it is drawn
        var panels = perStep.Select(list => cat(list, 0)).ToList();

        // --class all: one row per class
        int columns = total > count ? count : (int)Math.Ceiling(Math.Sqrt(Math.Min(count, 256)));
        ImageGrid.SavePng(outPath, panels, columns, scale: 2);
        if (parse.GetValue(Raw) is { } prefix)
            for (int i = 0; i < steps.Length; i++) IdxWriter.WriteImages($"{prefix}_k{steps[i]}.idx", panels[i]);
        AtomicFile.WriteAllText(Path.ChangeExtension(outPath, ".json"), Json.Serialize(new
        {
            command = "generate", checkpoint = RecordedPath.Of(checkpoint), modelStep = model.Step,
            count, steps, seed, norm, batch, prior = model.Prior.Name, @class = classText,
            classes = classes?.cpu().data<long>().ToArray(),   // each sample's class, in grid order
        }));
        CommandErrors.Info($"wrote [blue]{outPath}[/]: {total} samples{ClassChoice.Describe(classText)}, " +
            $"panels k = {string.Join(", ", steps)} " +
            $"(BatchNorm: {norm} statistics)");
        return 0;
    }
}
