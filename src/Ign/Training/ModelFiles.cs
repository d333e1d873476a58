using static TorchSharp.torch;
using Ign.Normalization;

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
        string path = Path.Combine("models", ShippedFileName);
        return Ign.IO.ProgramFiles.Find(path) ?? path;
    }

    /// <summary>
    /// Writes the weights, prior statistics and config of a checkpoint as a model-only checkpoint, with the
    /// network's floating-point tensors in float16 when asked (half the size; loading converts back to float32).
    /// </summary>
    /// <remarks>The weight average is exported when the checkpoint holds one. With recalibrateBatches &gt; 0,
    /// BatchNorm's statistics are first recomputed, one set per kind of input, on that many batches of z, f(z) and
    /// training images (<see cref="Normalization.BatchNormRecalibration"/>).</remarks>
    /// <param name="imageKinds">with recalibration, corruptions whose images get a BatchNorm set of their own</param>
    public static void ExportModelOnly(string source, string destination, bool half, int recalibrateBatches = 0,
        WeightChoice weights = WeightChoice.Sampling, IReadOnlyList<Corruptions.ICorruption>? imageKinds = null)
    {
        CheckpointHeader header;
        bool hasAverage;
        using (var checkpoint = Checkpoint.Load(source))
            (header, hasAverage) = (checkpoint.Header, checkpoint.EmaState is not null);
        using var model = TrainedModel.Load(source, CPU, weights);
        WriteModelOnly(model, destination, half, recalibrateBatches, imageKinds, header with
        {
            Weights = weights == WeightChoice.Live ? "live" : hasAverage ? "ema" : header.Weights,
        });
    }

    /// <summary>
    /// Writes a loaded model as a model-only checkpoint under <paramref name="header"/> (its Kind, optimizer step,
    /// creation time and recalibration are set here), BatchNorm statistics first recomputed when
    /// <paramref name="recalibrateBatches"/> &gt; 0, as <see cref="ExportModelOnly"/> describes.
    /// </summary>
    public static void WriteModelOnly(TrainedModel model, string destination, bool half, int recalibrateBatches,
        IReadOnlyList<Corruptions.ICorruption>? imageKinds, CheckpointHeader header)
    {
        RefuseRecalibratingAnAdapter(header, recalibrateBatches);
        using var statistics = recalibrateBatches > 0
            ? Normalization.BatchNormRecalibration.Run(model.Network, model.Prior, header.Config.LoadTrainingSet(), CPU,
                recalibrateBatches, seed: header.Config.Seed, inputNoise: header.Config.InputNoise,
                nullLabelRate: header.Config.NullLabelRate, imageKinds: imageKinds)
            : null;
        using var scope = NewDisposeScope();
        var state = model.Network.state_dict().ToDictionary(kv => kv.Key,
            kv => half && kv.Value.is_floating_point() ? kv.Value.to(float16) : kv.Value);
        var export = new Checkpoint
        {
            Header = header with
            {
                Kind = "model", AdamStep = 0, CreatedUtc = DateTime.UtcNow.ToString("O"),
                BatchNormRecalibrated = recalibrateBatches > 0 ? recalibrateBatches : header.BatchNormRecalibrated,
            },
            ModelState = state,
            PriorStatistics = model.Prior.Statistics.ToDictionary(),
            NormStatistics = statistics ?? model.NormStatistics,
        };
        export.Save(destination);
    }

    private static void RefuseRecalibratingAnAdapter(CheckpointHeader header, int recalibrateBatches)
    {
        if (recalibrateBatches > 0 && header.Config.ClassAdapter)
            throw new ArgumentException("a class adapter keeps the statistics of the model it was trained on, so " +
                                        "that its null class stays that model: write it without --recalibrate-bn");
    }
}
