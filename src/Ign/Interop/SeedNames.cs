using static TorchSharp.torch.nn;

namespace Ign.Interop;

/// <summary>
/// The names PyTorch code gives our networks' tensors: seed 002's <c>DCGANLikeModel</c> holds the encoder as
/// <c>discriminator.main</c> and the decoder as <c>generator.main</c>, two <c>nn.Sequential</c>s whose layers are
/// numbered by position (dropouts and activations count). <c>encoder.bn2.running_mean</c> is therefore
/// <c>discriminator.main.3.running_mean</c> and <c>decoder.deconv5.weight</c> is <c>generator.main.16.weight</c>.
/// The same rule names dcgan64's and the GroupNorm variant's tensors.
/// </summary>
public static class SeedNames
{
    private static readonly Dictionary<string, string> SeedPartOf = new()
    {
        ["encoder"] = "discriminator.main",
        ["decoder"] = "generator.main",
    };

    /// <summary>Our state_dict key → seed 002's, for every tensor of <paramref name="network"/>.</summary>
    public static Dictionary<string, string> Of(Module network)
    {
        var names = new Dictionary<string, string>();
        foreach (var (partName, part) in network.named_children())
        {
            if (!SeedPartOf.TryGetValue(partName, out var seedPart))
                throw new ArgumentException($"{network.GetName()} has a part '{partName}' with no PyTorch name");
            int position = 0;
            foreach (var (layerName, layer) in part.named_children())
            {
                foreach (var key in layer.state_dict().Keys)
                    names[$"{partName}.{layerName}.{key}"] = $"{seedPart}.{position}.{key}";
                position++;
            }
        }
        return names;
    }

    /// <summary>True when the keys are PyTorch's positional names rather than ours.</summary>
    public static bool AreSeedNames(IEnumerable<string> keys) =>
        keys.Any(k => k.StartsWith("discriminator.main.", StringComparison.Ordinal));
}
