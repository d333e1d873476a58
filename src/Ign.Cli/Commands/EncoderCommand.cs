using System.CommandLine;
using System.Diagnostics;
using Ign.Evaluation;
using Ign.Runtime;
using Ign.Training;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign encoder train`: the autoencoder whose encoder is the evaluation's feature space for data without a classifier
/// (colour images).
/// </summary>
public static class EncoderCommand
{
    private static readonly Option<string> Dataset = Opt.With("--dataset", "emoji",
        "the data set to learn (emoji, or folder/idx with --data); images must be square with a size divisible by 16");
    private static readonly Option<string?> DataPath =
        Opt.Of<string?>("--data", "the folder for --dataset folder (read at 64×64) or idx");
    private static readonly Option<string?> Out = Opt.Of<string?>("--out",
        "where to write the encoder (default: data/encoders/<dataset>-ae.ign, where `ign evaluate` looks)");
    private static readonly Option<int> Epochs = Opt.With("--epochs", 4, "passes over the training images");
    private static readonly Option<int> Width =
        Opt.With("--width", 16, "channels of the first convolution (then 2×, 4×, 8×)");
    private static readonly Option<int> Batch = Opt.With("--batch", 64, "images per step");
    private static readonly Option<int> Seed = ModelOptions.Seed();
    private static readonly Option<string> DeviceOption = ModelOptions.Device();

    public static Command Create()
    {
        var train = new Command("train",
            "train a small convolutional autoencoder on a data set's training images " +
            "and report its test reconstruction error");
        foreach (var o in new Option[] { Dataset, DataPath, Out, Epochs, Width, Batch, Seed, DeviceOption })
            train.Options.Add(o);
        train.SetAction(parse => CommandErrors.Run(() => Train(parse)));
        var command = new Command("encoder", "the encoder that evaluation uses as its feature space for colour data");
        command.Subcommands.Add(train);
        return command;
    }

    private static int Train(ParseResult parse)
    {
        int epochs = parse.GetValue(Epochs), width = parse.GetValue(Width), batch = parse.GetValue(Batch),
            seed = parse.GetValue(Seed);
        if (epochs is < 1 or > 1000) throw new ArgumentException("--epochs must be between 1 and 1000");
        if (width is < 1 or > 256) throw new ArgumentException("--width must be between 1 and 256");
        if (batch is < 1 or > 4096) throw new ArgumentException("--batch must be between 1 and 4096");
        string dataset = parse.GetValue(Dataset)!;
        var config = new TrainConfig { Dataset = dataset, DataPath = parse.GetValue(DataPath), Model = "dcgan64" };
        config.Validate();
        string outPath = parse.GetValue(Out) ?? Path.Combine("data", "encoders", $"{dataset}-ae.ign");
        var device = Devices.Parse(parse.GetValue(DeviceOption)!);
        var clock = Stopwatch.StartNew();
        var trainSet = config.LoadTrainingSet(line => Console.WriteLine($"  {line}"));
        var testSet = config.LoadTestSet();
        ConvAutoencoder.CheckShape(trainSet.Channels, trainSet.Height, width);
        CommandErrors.Info($"[bold]ign encoder train[/] {dataset}: {trainSet.Count} training images " +
            $"of {trainSet.Channels}×{trainSet.Height}×{trainSet.Width}, width {width}, {epochs} epochs");
        var progress = new Progress<(int Epoch, int Step, int StepsPerEpoch, float Loss)>(p =>
            Console.WriteLine($"epoch {p.Epoch + 1}/{epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:F4}"));
        using var model = AutoencoderTrainer.Train(trainSet,
            new AutoencoderTrainer.Options(Epochs: epochs, Width: width, BatchSize: batch, Seed: seed),
            device, progress);
        double error = AutoencoderTrainer.ReconstructionError(model, testSet, device);
        AutoencoderFile.Save(outPath, model.Encoder, new AutoencoderHeader
        {
            Dataset = dataset, Channels = trainSet.Channels, ImageSize = trainSet.Height, Width = width,
            Epochs = epochs, Seed = seed, TrainImages = trainSet.Count, TestReconstructionError = error,
        });
        CommandErrors.Info($"test reconstruction error mean |g(e(x)) − x| [green]{error:F4}[/] " +
            $"after {epochs} epochs ({clock.Elapsed.TotalSeconds:F0} s); " +
            $"wrote [blue]{outPath}[/] ({new FileInfo(outPath).Length / 1024} KiB)");
        return 0;
    }
}
