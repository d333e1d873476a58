namespace Ign.Normalization;

/// <summary>
/// Which statistics BatchNorm uses at sampling. Batch: each batch's own statistics (what the network
/// saw in training; better samples, but a sample depends on its batch-mates). Running: the running
/// statistics (deterministic per image, needed for single-image use): with <see cref="NormStatistics"/>, the set
/// for the kind of input each application sees; without, the running averages accumulated in training.
/// Auto: Running where the model has per-input statistics, else Batch.
/// </summary>
public enum NormMode { Batch, Running, Auto }

/// <summary>
/// The one --norm vocabulary of every command: auto, batch or running (evaluate takes a list of them).
/// </summary>
public static class NormModes
{
    public const string Help = "BatchNorm statistics: " +
                               "auto (running when the model carries per-input statistics, else batch) | " +
                               "batch (the statistics of the images processed together) | " +
                               "running (each image on its own, deterministic)";

    public static NormMode Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => NormMode.Auto,
        "batch" => NormMode.Batch,
        "running" => NormMode.Running,
        _ => throw new ArgumentException($"--norm: '{text}' is not auto, batch or running"),
    };

    /// <summary>
    /// Auto made concrete: running statistics where the model has per-input sets, else batch statistics.
    /// </summary>
    public static NormMode Resolve(NormMode mode, NormStatistics? statistics) =>
        mode != NormMode.Auto ? mode : statistics is not null ? NormMode.Running : NormMode.Batch;
}
