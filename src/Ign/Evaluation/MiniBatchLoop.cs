using TorchSharp;
using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// The training loop of the evaluation networks: each epoch a fresh random order of the images, then per batch a
/// loss, a backward pass and an optimizer step, with native tensors freed every step.
/// </summary>
public static class MiniBatchLoop
{
    /// <param name="loss">the batch's loss, given the indices of its images</param>
    /// <param name="afterStep">called after each optimizer step (a learning-rate schedule)</param>
    /// <param name="maxSteps">stop after this many batches in all; null trains every epoch</param>
    public static void Run(int count, int batchSize, int epochs, Random random, optim.Optimizer optimizer,
        Func<int[], Tensor> loss, IProgress<(int Epoch, int Step, int StepsPerEpoch, float Loss)>? progress,
        int reportEvery, Action? afterStep = null, int? maxSteps = null)
    {
        int stepsPerEpoch = count / batchSize, done = 0;
        for (int epoch = 0; epoch < epochs && done != maxSteps; epoch++)
        {
            var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
            for (int step = 0; step < stepsPerEpoch && done != maxSteps; step++, done++)
            {
                using var scope = NewDisposeScope();
                var value = loss(order.AsSpan(step * batchSize, batchSize).ToArray());
                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                afterStep?.Invoke();
                if (step % reportEvery == 0 || step == stepsPerEpoch - 1)
                    progress?.Report((epoch, step + 1, stepsPerEpoch, value.item<float>()));
            }
        }
    }
}
