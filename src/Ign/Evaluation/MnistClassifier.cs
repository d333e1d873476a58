using Ign.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Evaluation;

/// <summary>
/// A LeNet-like digit classifier whose penultimate layer (128 ReLU units) is the feature space of our
/// Fréchet distance and precision/recall: MNIST's stand-in for Inception. Inputs in [-1, 1], (B, 1, 28, 28).
/// </summary>
public sealed class MnistClassifier : Module<Tensor, Tensor>
{
    public const int FeatureCount = 128;
    public const int ClassCount = 10;
    private readonly Sequential features;
    private readonly Sequential head;

    public MnistClassifier() : base(nameof(MnistClassifier))
    {
        features = Sequential(
            ("conv1", Conv2d(1, 32, 5, padding: 2)), ("act1", ReLU()), ("pool1", MaxPool2d(2)),   // (B, 32, 14, 14)
            ("conv2", Conv2d(32, 64, 5, padding: 2)), ("act2", ReLU()), ("pool2", MaxPool2d(2)),  // (B, 64, 7, 7)
            ("flatten", Flatten()),                                                                 // (B, 3136)
            ("fc1", Linear(64 * 7 * 7, FeatureCount)), ("act3", ReLU()));                          // (B, 128)
        head = Sequential(("drop", Dropout(0.3)), ("fc2", Linear(FeatureCount, ClassCount)));      // (B, 10)
        RegisterComponents();
    }

    /// <summary>The 128 penultimate activations.</summary>
    public Tensor Features(Tensor x) => LayerForward.Run(features, x); // (B, 1, 28, 28) -> (B, 128)

    public Tensor Logits(Tensor features) => LayerForward.Run(head, features); // (B, 128) -> (B, 10)

    public override Tensor forward(Tensor x)
    {
        using var f = Features(x);
        return Logits(f);
    }
}
