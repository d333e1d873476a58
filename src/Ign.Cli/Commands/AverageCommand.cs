using System.CommandLine;
using Ign.Training;

namespace Ign.Cli.Commands;

/// <summary>`ign average`: one model-only checkpoint whose weights are the mean of several checkpoints' of one run
/// (<see cref="CheckpointAverage"/>), its BatchNorm statistics recomputed for the mean.</summary>
public static class AverageCommand
{
    private static readonly Option<string[]> Checkpoints = Opt.Many("--checkpoints",
        "checkpoints of one network to average, e.g. the ones a run kept with `ign train --keep-at` over its " +
        "learning-rate decay", required: true);
    private static readonly Option<string> Out = Opt.Required<string>("--out", "the model-only .ckpt to write");
    private static readonly Option<string> Weights = Opt.With("--weights", "live",
        "which weights of each checkpoint: live (the optimised weights) or ema (the run's weight average)");
    private static readonly RecalibrationOptions Recalibration = new(40,
        "batches per kind of input (noise, images, f(z)) on which BatchNorm statistics are recomputed for the " +
        "averaged weights (0 = keep the last checkpoint's buffers, which were measured for other weights)");
    private static readonly Option<bool> Half = Opt.Of<bool>("--half", "store the weights in float16");

    public static Command Create()
    {
        var command = new Command("average",
            "average the weights of several checkpoints of one run (stochastic weight averaging) into one model");
        foreach (var o in new Option[]
                 { Checkpoints, Out, Weights, Recalibration.Batches, Recalibration.ImageKinds, Half })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            var sources = parse.GetValue(Checkpoints)!;
            string destination = parse.GetValue(Out)!;
            foreach (string source in sources)
            {
                if (!File.Exists(source)) throw new ArgumentException($"no such checkpoint '{source}'");
                if (Path.GetFullPath(source) == Path.GetFullPath(destination))
                    throw new ArgumentException("--out must differ from every --checkpoints file");
            }
            var (recalibrate, kinds) = Recalibration.Read(parse);
            var weights = TrainedModel.ParseWeights(parse.GetValue(Weights)!);
            using var average = CheckpointAverage.Load(sources, weights, out var steps);
            ModelFiles.WriteModelOnly(average, destination, parse.GetValue(Half), recalibrate, kinds, average.Header);
            CommandErrors.Info($"wrote [blue]{destination}[/] ({new FileInfo(destination).Length / 1e6:F1} MB): the " +
                $"mean of {sources.Length} checkpoints' {parse.GetValue(Weights)} weights, steps " +
                $"{string.Join(", ", steps)}" +
                (recalibrate > 0 ? $", BatchNorm statistics recomputed on {recalibrate} batches" : ""));
            return 0;
        }));
        return command;
    }
}
