using static TorchSharp.torch;

namespace Ign.Data;

/// <summary>
/// Shuffled batches in [-1, 1], drop-last, in an order fixed by (seed, epoch) so that a run resumed at
/// any step sees exactly the batches it would have seen. The next batch is filled on a worker thread
/// while the current step runs; only the copy into a tensor happens on the caller's thread.
/// </summary>
public sealed class BatchLoader
{
    private readonly ImageDataset data;
    private readonly int seed;

    public int BatchSize { get; }
    public int StepsPerEpoch => data.Count / BatchSize;

    public BatchLoader(ImageDataset data, int batchSize, int seed)
    {
        if (batchSize < 1) throw new ArgumentException("batch size must be positive");
        if (data.Count < batchSize)
            throw new ArgumentException($"{data.Name}: {data.Count} images are fewer than one batch of {batchSize}");
        (this.data, BatchSize, this.seed) = (data, batchSize, seed);
    }

    /// <summary>The permutation of the data set used in an epoch.</summary>
    public int[] EpochOrder(long epoch)
    {
        var order = Enumerable.Range(0, data.Count).ToArray();
        // Not HashCode.Combine: it is seeded randomly per process, so a resumed run (or a rerun) saw another order.
        new Random(unchecked(seed * 1_000_003 + (int)epoch * 7_919 + 0x1d8)).Shuffle(order);
        return order;
    }

    /// <summary>
    /// Batches from global step <paramref name="startStep"/> on, forever, as (B, C, H, W) tensors on the device.
    /// </summary>
    public IEnumerable<Tensor> From(long startStep, Device device)
    {
        // Two buffers, alternating: the worker fills one while the other is copied into the tensor (tensor() copies).
        // Reusing them keeps the worker from allocating: a garbage collection it started while this thread is in
        // libtorch could finalize a TorchSharp Scalar that call is still reading (see Runtime/HeldScalars.cs).
        var buffers = new[] { new float[BatchSize * data.PixelsPerImage], new float[BatchSize * data.PixelsPerImage] };
        var pending = Task.Run(() => Fill(startStep, buffers[startStep % 2]));
        for (long step = startStep; ; step++)
        {
            float[] current = pending.Result;
            long next = step + 1;
            pending = Task.Run(() => Fill(next, buffers[next % 2]));
            yield return tensor(current, [BatchSize, data.Channels, data.Height, data.Width], device: device);
        }
    }

    private int[]? labelOrder;
    private long labelEpoch = -1;

    /// <summary>
    /// The labels (B) int64 of the batch <see cref="From"/> yields at global step <paramref name="step"/>, in the
    /// same order; an error when the data set has none.
    /// </summary>
    public Tensor LabelsAt(long step, Device device)
    {
        var labels = data.Labels ?? throw new InvalidOperationException($"{data.Name} has no labels");
        long epoch = step / StepsPerEpoch;
        int offset = (int)(step % StepsPerEpoch) * BatchSize;
        // its own cache: the worker thread owns the one Fill uses
        if (epoch != labelEpoch) (labelOrder, labelEpoch) = (EpochOrder(epoch), epoch);
        var batch = new long[BatchSize];
        for (int i = 0; i < BatchSize; i++) batch[i] = labels[labelOrder![offset + i]];
        return tensor(batch, device: device);                                          // (B)
    }

    private int[]? cachedOrder;
    private long cachedEpoch = -1;

    private float[] Fill(long step, float[] buffer)
    {
        long epoch = step / StepsPerEpoch;
        int offset = (int)(step % StepsPerEpoch) * BatchSize;
        if (epoch != cachedEpoch) (cachedOrder, cachedEpoch) = (EpochOrder(epoch), epoch);
        for (int i = 0; i < BatchSize; i++)
            data.CopyScaled(cachedOrder![offset + i], buffer.AsSpan(i * data.PixelsPerImage, data.PixelsPerImage));
        return buffer;
    }
}
