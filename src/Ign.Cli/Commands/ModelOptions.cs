using System.CommandLine;
using Ign.Runtime;
using Ign.Sampling;
using Ign.Training;
using Ign.Normalization;

namespace Ign.Cli.Commands;

/// <summary>Options several commands declare alike (checkpoint, norm, device, seed), and their parsing.</summary>
public static class ModelOptions
{
    public static Option<string?> Checkpoint() =>
        Opt.Of<string?>("--checkpoint", "model.ckpt or checkpoint.ckpt (default: the shipped models/ign-mnist.ckpt)");

    public static Option<string> Norm(string defaultMode) => Opt.With("--norm", defaultMode, NormModes.Help);

    public static Option<string> Device() => Opt.With("--device", "cpu", "cpu | cuda");

    /// <summary>The seed of the trainers (classifier, encoder).</summary>
    public static Option<int> Seed() => Opt.With("--seed", 0, "random seed");

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
