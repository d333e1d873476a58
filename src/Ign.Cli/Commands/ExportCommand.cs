using System.CommandLine;
using Ign.Interop;
using Ign.Training;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign export`: a small model-only checkpoint (weights, prior statistics, config) from any checkpoint, or the
/// network as a PyTorch state_dict (.pt or .safetensors, seed 002's names) with a JSON sidecar.
/// </summary>
public static class ExportCommand
{
    private static readonly Option<string> CheckpointOption =
        Opt.Required<string>("--checkpoint", "checkpoint.ckpt or model.ckpt to export");
    private static readonly Option<string> Out =
        Opt.Required<string>("--out", "file to write: model.ckpt, model.pt or model.safetensors");
    private static readonly Option<string> Format = Opt.With("--format", "ign",
        "ign (a model-only .ckpt) | pytorch (torch.save's state_dict, seed 002's names) | safetensors; " +
        "pytorch and safetensors also write FILE.ign.json (config, prior statistics) and carry the network's own " +
        "BatchNorm running statistics, not --recalibrate-bn sets");
    private static readonly RecalibrationOptions Recalibration = new(0,
        "first compute exact BatchNorm statistics per kind of input (noise, images, f(z)) " +
        "on this many batches each (0 = keep the checkpoint's)");
    private static readonly Option<string> Weights = Opt.With("--weights", "sampling",
        "sampling (the weight average when the run keeps one) | live (the optimised weights) | ema");
    private static readonly Option<string> RunningStats = Opt.With("--running-stats", "trained",
        "pytorch and safetensors: what the BatchNorm running buffers carry, trained (the network's own) or a " +
        "per-input set of the checkpoint's: noise (for f(z) one image at a time in eval mode, as ign samples), " +
        "images (for projecting one image at a time) or generated (for f applied to f's output)");
    private static readonly Option<bool> Half = Opt.Of<bool>("--half",
        "store the network's weights in float16 (half the size; loading converts back to float32)");

    public static Command Create()
    {
        var command = new Command("export",
            "write a model-only checkpoint (no optimizer state) or a PyTorch state_dict, optionally in half precision");
        foreach (var o in new Option[]
                 { CheckpointOption, Out, Format, Half, Recalibration.Batches, Recalibration.ImageKinds, Weights,
                   RunningStats })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string source = parse.GetValue(CheckpointOption)!, destination = parse.GetValue(Out)!;
            if (Path.GetFullPath(source) == Path.GetFullPath(destination))
                throw new ArgumentException("--out must differ from --checkpoint");
            var (recalibrate, kinds) = Recalibration.Read(parse);
            var weights = TrainedModel.ParseWeights(parse.GetValue(Weights)!);
            string format = parse.GetValue(Format)!.ToLowerInvariant();
            if (format is not ("ign" or "pytorch" or "safetensors"))
                throw new ArgumentException($"--format must be ign, pytorch or safetensors, got '{format}'");
            var runningStats = StateDictCheckpoint.ParseRunningStatistics(parse.GetValue(RunningStats)!);
            if (runningStats is not null && format == "ign")
                throw new ArgumentException("--running-stats needs --format pytorch or safetensors (an ign checkpoint "
                    + "keeps every set)");
            if (format == "ign")
                ModelFiles.ExportModelOnly(source, destination, parse.GetValue(Half), recalibrate, weights, kinds);
            else
            {
                if (recalibrate > 0) throw new ArgumentException("--recalibrate-bn needs --format ign");
                if (StateDictFormats.OfFile(destination) != StateDictFormats.Parse(format))
                    throw new ArgumentException($"--out of a {format} export must end in " +
                        (format == "pytorch" ? ".pt or .pth" : ".safetensors") + " (how --checkpoint recognises it)");
                StateDictCheckpoint.Export(source, destination, StateDictFormats.Parse(format), parse.GetValue(Half),
                    weights, runningStats);
            }
            CommandErrors.Info($"wrote [blue]{destination}[/] " +
                $"({new FileInfo(destination).Length / 1e6:F1} MB{(parse.GetValue(Half) ? ", float16 weights" : "")})");
            return 0;
        }));
        return command;
    }
}
