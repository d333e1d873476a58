using static TorchSharp.torch;

namespace Ign.Training;

/// <summary>The pretrained model that ships with the project, and model-only exports of checkpoints.</summary>
public static class ModelFiles
{
    public const string ShippedFileName = "ign-mnist.ckpt";

    /// <summary>
    /// models/ign-mnist.ckpt next to the program (the build copies it there) or under the current folder:
    /// what commands with a --checkpoint option use when none is given.
    /// </summary>
    public static string ShippedModelPath()
    {
        foreach (var root in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            string path = Path.Combine(root, "models", ShippedFileName);
            if (File.Exists(path)) return path;
        }
        return Path.Combine("models", ShippedFileName);
    }

    /// <summary>
    /// Writes the weights, prior statistics and config of a checkpoint as a model-only checkpoint, with the
    /// network's floating-point tensors in float16 when asked (half the size; loading converts back to float32).
    /// </summary>
    public static void ExportModelOnly(string source, string destination, bool half)
    {
        using var checkpoint = Checkpoint.Load(source);
        using var scope = NewDisposeScope();
        var state = checkpoint.ModelState.ToDictionary(kv => kv.Key, kv => half && kv.Value.is_floating_point() ? kv.Value.to(float16) : kv.Value);
        var model = new Checkpoint
        {
            Header = checkpoint.Header with { Kind = "model", AdamStep = 0, CreatedUtc = DateTime.UtcNow.ToString("O") },
            ModelState = state,
            PriorStatistics = checkpoint.PriorStatistics,
        };
        model.Save(destination);
    }
}
