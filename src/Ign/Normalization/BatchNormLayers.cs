using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Ign.Normalization;

/// <summary>
/// The BatchNorm layers of a network (1d and 2d alike), with their names: the one place that finds them.
/// </summary>
public static class BatchNormLayers
{
    public static List<(string Name, BatchNorm Layer)> In(Module module) =>
        module.named_modules().Where(m => m.module is BatchNorm).Select(m => (m.name, (BatchNorm)m.module)).ToList();

    public static bool Any(Module module) => module.modules().Any(m => m is BatchNorm);
}
