using System.CommandLine;
using Ign.Training;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign export`: a small model-only checkpoint (weights, prior statistics, config) from any checkpoint.
/// </summary>
public static class ExportCommand
{
    private static readonly Option<string> CheckpointOption =
        new("--checkpoint") { Description = "checkpoint.ckpt or model.ckpt to export", Required = true };
    private static readonly Option<string> Out =
        new("--out") { Description = "model-only checkpoint to write", Required = true };
    private static readonly Option<int> Recalibrate = new("--recalibrate-bn")
    {
        Description = "first compute exact BatchNorm statistics per kind of input (noise, images, f(z)) " +
            "on this many batches each (0 = keep the checkpoint's)",
        DefaultValueFactory = _ => 0,
    };
    private static readonly Option<string> Weights = new("--weights")
    {
        Description = "sampling (the weight average when the run keeps one) | live (the optimised weights) | ema",
        DefaultValueFactory = _ => "sampling",
    };
    private static readonly Option<bool> Half = new("--half")
    {
        Description = "store the network's weights in float16 (half the size; loading converts back to float32)",
    };

    public static Command Create()
    {
        var command = new Command("export",
            "write a model-only checkpoint (no optimizer state), optionally in half precision");
        foreach (var o in new Option[] { CheckpointOption, Out, Half, Recalibrate, Weights }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string source = parse.GetValue(CheckpointOption)!, destination = parse.GetValue(Out)!;
            if (Path.GetFullPath(source) == Path.GetFullPath(destination))
                throw new ArgumentException("--out must differ from --checkpoint");
            int recalibrate = parse.GetValue(Recalibrate);
            if (recalibrate is < 0 or > 10_000)
                throw new ArgumentException("--recalibrate-bn must be between 0 and 10000");
            ModelFiles.ExportModelOnly(source, destination, parse.GetValue(Half), recalibrate,
                TrainedModel.ParseWeights(parse.GetValue(Weights)!));
            CommandErrors.Info($"wrote [blue]{destination}[/] " +
                $"({new FileInfo(destination).Length / 1e6:F1} MB{(parse.GetValue(Half) ? ", float16 weights" : "")})");
            return 0;
        }));
        return command;
    }
}
