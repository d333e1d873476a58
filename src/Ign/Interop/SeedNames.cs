using Ign.Models;
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

    /// <summary>Our state_dict key → seed 002's, for every tensor of <paramref name="network"/>. A conditional
    /// network's class parts, which seed 002 lacks, keep their names (<c>label_code.weight</c>), the classes' own
    /// encoder numbered by position like the encoder (<c>label_encoder.0.weight</c>):
    /// interop/pytorch/ign_conditional.py's names.</summary>
    public static Dictionary<string, string> Of(Module network)
    {
        var names = new Dictionary<string, string>();
        foreach (var (partName, part) in network.named_children())
        {
            if (CodeNetwork.IsClassTable(partName) && part is not TorchSharp.Modules.Sequential)
            {
                foreach (var key in part.state_dict().Keys) names[$"{partName}.{key}"] = $"{partName}.{key}";
                continue;
            }
            string? seedPart = CodeNetwork.IsClassTable(partName) ? partName : SeedPartOf.GetValueOrDefault(partName);
            if (seedPart is null)
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
