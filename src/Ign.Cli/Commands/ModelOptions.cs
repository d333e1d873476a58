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

    /// <summary>Inpainting's Adam steps fitting the hole before each application of f (<see cref="HoleFit"/>).
    /// </summary>
    public static Option<int> HoleFitSteps() => Opt.With("--hole-fit", new HoleFit().Iterations,
        "inpainting: Adam steps fitting the hole so that f keeps the known pixels, before each application of f " +
        "(0: the plain loop x ← m⊙c(x) + (1−m)⊙f(x))");

    /// <summary>The <see cref="HoleFit"/> an --hole-fit value asks for, or a one-line error.</summary>
    public static HoleFit HoleFit(int steps) => steps is >= 0 and <= 10_000
        ? new HoleFit(Iterations: steps)
        : throw new ArgumentException("--hole-fit must be between 0 and 10000");

    public static void RequirePng(string path, string option)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{option} must name a .png file");
    }
}
