using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ign.Normalization;

/// <summary>
/// BatchNorm's forward, the same computation as TorchSharp's, without its temporary Scalars. TorchSharp counts
/// training batches with <c>num_batches_tracked.add_(1)</c>: two implicit Scalars left to the finalizer, which a
/// garbage collection started by another thread during that native call can free while libtorch reads them (see
/// Runtime/HeldScalars.cs). A 7 020-step training run died of it at step 1 849 ("toLong: Expected false to be true",
/// under BatchNorm.forward). Here the count adds Scalars that live as long as the process.
/// </summary>
public static class BatchNormForward
{
    private static readonly Scalar One = 1L.ToScalar(); // a static is reachable to the end, so never finalized mid-call

    public static Tensor Apply(BatchNorm norm, Tensor x) // (B, C, H, W) -> (B, C, H, W)
    {
        double averagingFactor = norm.momentum ?? 0.0;
        if (norm.training && norm.track_running_stats && norm.num_batches_tracked is { } count)
        {
            count.add_(One, One);
            if (norm.momentum is null) averagingFactor = 1.0 / count.item<long>(); // cumulative average, as PyTorch
        }
        bool batchStatistics = norm.training || (norm.running_mean is null && norm.running_var is null);
        bool passRunning = !norm.training || norm.track_running_stats;
        return nn.functional.batch_norm(x,
            passRunning ? norm.running_mean : null, passRunning ? norm.running_var : null,
            norm.affine ? norm.weight : null, norm.bias, batchStatistics, averagingFactor, norm.eps);
    }
}
