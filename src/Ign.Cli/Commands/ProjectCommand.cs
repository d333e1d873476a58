using System.CommandLine;
using Ign.Corruptions;
using Ign.Imaging;
using Ign.IO;
using Ign.Sampling;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Cli.Commands;

/// <summary>`ign project`: Make It Real. x, c(x), f(c(x)), f(f(c(x))), ... for user images or test digits.</summary>
public static class ProjectCommand
{
    private static readonly Option<string?> CheckpointOption = ModelOptions.Checkpoint();
    private static readonly Option<string[]> Inputs =
        Opt.Many("--input", "image file(s): PNG, JPEG, WebP, ... any size, grey or colour");
    private static readonly Option<int?> FromTest =
        Opt.Of<int?>("--from-test", "use the first N test images of the model's data set instead of files");
    private static readonly Option<int> TestOffset = Opt.With("--test-offset", 0, "index of the first test image");
    private static readonly Option<string?> Corrupt = Opt.Of<string?>("--corrupt",
        $"corruption c applied before projecting (default: none). {CorruptionParser.Help}; chain with +");
    private static readonly Option<string> StepsOption = Opt.With("--steps", "1,2,3", "applications of f to show");
    private static readonly Option<string> Out =
        Opt.With("--out", "project.png", "grid PNG: columns x, c(x), f(c(x)), f(f(c(x))), ...");
    private static readonly Option<string?> Raw = Opt.Of<string?>("--raw",
        "also write the inputs and every output as uint8 IDX files: PREFIX_x.idx, PREFIX_k<k>.idx");
    private static readonly Option<string?> Each =
        Opt.Of<string?>("--each", "also write every output as its own PNG into this folder");
    private static readonly Option<string> Norm = ModelOptions.Norm("running");
    private static readonly Option<int> Seed = Opt.With("--seed", 0, "seed of random corruptions");
    private static readonly Option<string> Fit =
        Opt.With("--fit", "pad", "making a non-square picture square: pad | crop | stretch");
    private static readonly Option<string> Invert = Opt.With("--invert", "auto",
        "swap black and white: auto (when the picture's border is light, for white-on-black models) | yes | no");
    private static readonly Option<double?> Margin = Opt.Of<double?>("--margin",
        "border added around a picture, as a fraction of its size " +
        "(default 0.15 for grey 28×28 models, whose digits sit in a 20×20 box; 0 otherwise)");
    private static readonly Option<bool> Inpaint = Opt.Of<bool>("--inpaint",
        "keep the pixels the corruption left (occlude) and let f fill only the rest: x ← m⊙c(x) + (1−m)⊙f(x), " +
        "k times, the hole fitted first so that f keeps the known pixels (--hole-fit)");
    private static readonly Option<int> HoleFitOption = ModelOptions.HoleFitSteps();
    private static readonly Option<string?> Mask = Opt.Of<string?>("--mask",
        "an image whose light pixels mark the region to repaint (implies --inpaint; the rest is kept)");
    private static readonly Option<string?> InputKind = Opt.Of<string?>("--input-kind",
        "what the inputs are, for a model with BatchNorm statistics of that kind of image (`ign export " +
        "--image-kinds`): e.g. lowres or sketch, or image (clean images' statistics); auto (the default): the " +
        "--corrupt kind when the model has its statistics, else image");
    private static readonly Option<string> DeviceOption = ModelOptions.Device();
    private static readonly Option<string?> ClassOption = Opt.Of<string?>("--class",
        "project toward this class (0, 1, ...) with a class-conditional model (default: no class)");

    public static Command Create()
    {
        var command = new Command("project",
            "Make It Real: project images (optionally corrupted first) onto the data with f, f∘f, ...");
        foreach (var o in new Option[] { CheckpointOption, Inputs, FromTest, TestOffset, Corrupt, StepsOption, Out,
            Each, Raw, Inpaint, Mask, HoleFitOption, Norm, Seed, Fit, Invert, Margin, DeviceOption, ClassOption,
            InputKind })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        var files = parse.GetValue(Inputs) ?? [];
        int? fromTest = parse.GetValue(FromTest);
        if ((files.Length > 0) == fromTest.HasValue)
            throw new ArgumentException("give either --input FILE... or --from-test N");
        if (fromTest is < 1 or > 1000) throw new ArgumentException("--from-test must be between 1 and 1000");
        if (files.Length > 1000) throw new ArgumentException("at most 1000 --input images at once");
        var steps = Steps.ParsePositive(parse.GetValue(StepsOption)!, max: 10_000);
        string outPath = parse.GetValue(Out)!;
        ModelOptions.RequirePng(outPath, "--out");
        var corruption = parse.GetValue(Corrupt) is { } spec ? CorruptionParser.Parse(spec) : null;
        var mode = NormModes.Parse(parse.GetValue(Norm)!);
        var fit = Enum.TryParse<FitMode>(parse.GetValue(Fit), ignoreCase: true, out var f)
            ? f : throw new ArgumentException($"--fit: '{parse.GetValue(Fit)}' is not pad, crop or stretch");
        var invert = Enum.TryParse<InvertMode>(parse.GetValue(Invert), ignoreCase: true, out var i)
            ? i : throw new ArgumentException($"--invert: '{parse.GetValue(Invert)}' is not auto, yes or no");
        string? maskFile = parse.GetValue(Mask);
        var holeFit = ModelOptions.HoleFit(parse.GetValue(HoleFitOption));
        if (parse.GetValue(Inpaint) && maskFile is null && corruption is not IMaskedCorruption)
            throw new ArgumentException("--inpaint needs a corruption that knows its pixels (--corrupt occlude:...) " +
                "or --mask FILE");
        foreach (var file in files.Append(maskFile).OfType<string>())
            if (!File.Exists(file)) throw new FileNotFoundException($"{file}: file not found");

        using var model = ModelOptions.Load(parse.GetValue(CheckpointOption), parse.GetValue(DeviceOption)!);
        using var scope = NewDisposeScope();
        var loadOptions = new ImageLoadOptions
        {
            Fit = fit, Invert = invert,
            Margin = parse.GetValue(Margin) ?? ImageLoadOptions.MarginFor(model.Channels, model.ImageSize),
        };
        if (loadOptions.Margin is < 0 or > 2) throw new ArgumentException("--margin must be between 0 and 2");
        Tensor x; // (N, C, S, S)
        string[] names;
        if (fromTest is int n)
        {
            var test = model.Config.LoadTestSet();
            int offset = parse.GetValue(TestOffset);
            if (offset < 0 || offset + n > test.Count)
                throw new ArgumentException(
                    $"--test-offset {offset} with --from-test {n} goes past the {test.Count} test images");
            if (test.Channels != model.Channels || test.Height != model.ImageSize)
                throw new ArgumentException("the model's test set does not match its image size");
            x = test.Batch(Enumerable.Range(offset, n).ToArray(), model.Device);
            names = Enumerable.Range(offset, n).Select(k => $"test{k:D5}").ToArray();
        }
        else
        {
            x = cat(files.Select(file => ImageLoader.Load(file, model.Channels, model.ImageSize, loadOptions))
                .ToList(), 0).to(model.Device);
            names = files.Select(Path.GetFileNameWithoutExtension).Select(s => s!).ToArray();
        }

        using var generator = new Generator((ulong)parse.GetValue(Seed));
        // a mask says the known pixels itself; else an occlusion does when --inpaint asks
        var (corrupted, known) = corruption is null ? (x, null)
            : new ProjectionSpec(corruption, parse.GetValue(Inpaint) && maskFile is null).Apply(x, generator);
        if (maskFile is not null)
            // (1, 1, S, S), placed like the pictures it marks (test images: as it is, no margin)
            known = ImageLoader.KnownPixels(File.ReadAllBytes(maskFile), model.ImageSize,
                loadOptions with { Margin = fromTest is null ? loadOptions.Margin : 0 }, maskFile).to(model.Device);
        string? classText = parse.GetValue(ClassOption);
        using var classes = ClassChoice.Labels(model, classText, names.Length, allowSeveral: false); // (N) or null
        string? imagesLike = NormStatistics.ChooseImageKind(parse.GetValue(InputKind), corruption?.Spec,
            model.NormStatistics);
        var outputs = model.Project(corrupted, known, steps, mode, classes, holeFit, imagesLike);
        var panels = new List<Tensor> { x };
        if (corruption is not null) panels.Add(corrupted);
        panels.AddRange(outputs);
        ImageGrid.SavePng(outPath, panels, columns: 1, scale: 3);

        if (parse.GetValue(Raw) is { } prefix)
        {
            IdxWriter.WriteImages($"{prefix}_x.idx", corrupted);
            for (int s = 0; s < steps.Length; s++) IdxWriter.WriteImages($"{prefix}_k{steps[s]}.idx", outputs[s]);
        }
        if (parse.GetValue(Each) is { } folder)
        {
            Directory.CreateDirectory(folder);
            for (int image = 0; image < names.Length; image++)
            {
                if (corruption is not null)
                    ImageGrid.SaveImage(Path.Combine(folder, $"{names[image]}_corrupted.png"),
                        corrupted[image], scale: 4);
                for (int s = 0; s < steps.Length; s++)
                    ImageGrid.SaveImage(Path.Combine(folder, $"{names[image]}_k{steps[s]}.png"),
                        outputs[s][image], scale: 4);
            }
        }
        AtomicFile.WriteAllText(Path.ChangeExtension(outPath, ".json"), Json.Serialize(new
        {
            command = "project", modelStep = model.Step, inputs = names, corruption = corruption?.Spec, steps,
            norm = parse.GetValue(Norm), seed = parse.GetValue(Seed), fit = fit.ToString().ToLowerInvariant(),
            invert = invert.ToString().ToLowerInvariant(), margin = loadOptions.Margin, @class = classText,
            inpaint = known is not null, mask = maskFile, holeFit = known is null ? (int?)null : holeFit.Iterations,
            inputKind = imagesLike ?? "image",
            change = outputs.Select((o, s) => new
            {
                k = steps[s],
                meanAbsFromPrevious = (o - (s == 0 ? corrupted : outputs[s - 1])).abs().mean().item<float>()
            }),
        }));
        CommandErrors.Info($"wrote [blue]{outPath}[/]: {names.Length} image(s), " +
            $"columns x{(corruption is null ? "" : ", c(x)")}, {string.Join(", ", steps.Select(k => $"f^{k}"))}"
            + $"{(classText is null ? "" : $" toward class {classText}")} " +
            $"(BatchNorm: {parse.GetValue(Norm)} statistics" +
            $"{(imagesLike is null ? "" : $", of {imagesLike} images")})");
        return 0;
    }
}
