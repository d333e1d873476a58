using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// Where evaluation measures images: a network that maps (N, C, H, W) images to (N, D) features, and, when it is a
/// classifier, to predicted classes too. The Fréchet distance and precision/recall are computed in this space.
/// </summary>
public interface IFeatureSpace
{
    /// <summary>One sentence for the report, naming the network and how good it is.</summary>
    string Description { get; }

    /// <summary>Features (N, D) and predicted classes (N), or null classes for a space without labels.</summary>
    (Tensor Features, Tensor? Classes) Run(Tensor images);
}
