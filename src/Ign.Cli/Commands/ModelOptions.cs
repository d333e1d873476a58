using System.CommandLine;
using Ign.Runtime;
using Ign.Sampling;
using Ign.Training;
using Ign.Normalization;

namespace Ign.Cli.Commands;

/// <summary>Options shared by the commands that apply a trained f, and their parsing.</summary>
public static class ModelOptions
{
    public static Option<string?> Checkpoint() => new("--checkpoint")
    {
        Description = "model.ckpt or checkpoint.ckpt (default: the shipped models/ign-mnist.ckpt)",
    };

    public static Option<string> Norm(string defaultMode) => new("--norm")
    {
        Description = NormModes.Help,
        DefaultValueFactory = _ => defaultMode,
    };

    public static Option<string> Device() =>
        new("--device") { Description = "cpu | cuda", DefaultValueFactory = _ => "cpu" };

    /// <summary>The given checkpoint, or the shipped model with a clear message when it is missing.</summary>
    public static TrainedModel Load(string? checkpoint, string device)
    {
        string path = checkpoint ?? ModelFiles.ShippedModelPath();
        if (checkpoint is null && !File.Exists(path))
            throw new FileNotFoundException($"no --checkpoint given and the shipped model ({path}) is not there; " +
                "train one with `ign train` or pass --checkpoint");
        return TrainedModel.Load(path, Devices.Parse(device));
    }

    public static void RequirePng(string path, string option)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{option} must name a .png file");
    }
}
