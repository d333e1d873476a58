using TorchSharp;
using Ign.Models;
using Ign.Priors;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Training;

/// <summary>A network f with its prior and config: everything needed to generate or project.</summary>
public sealed class TrainedModel : IDisposable
{
    public required Module<Tensor, Tensor> Network { get; init; }
    public required IPrior Prior { get; init; }
    public required TrainConfig Config { get; init; }
    public required long Step { get; init; }
    public required int Channels { get; init; }
    public required int ImageSize { get; init; }
    public required Device Device { get; init; }

    /// <summary>Load a full or model-only checkpoint; an incompatible one fails with a one-line message.</summary>
    public static TrainedModel Load(string path, Device device)
    {
        using var checkpoint = Checkpoint.Load(path);
        var h = checkpoint.Header;
        var network = ModelFactory.Create(h.Config.Model, h.Channels, h.Height, h.Config.BaseWidth);
        // a full checkpoint of a run with EMA samples from the average, like the run's own grids and model.ckpt
        LoadState(network, checkpoint.EmaState ?? checkpoint.ModelState, path);
        network.to(device);
        var prior = PriorFactory.Restore(h.Prior, h.Channels, h.Height, h.Width, checkpoint.PriorStatistics);
        return new TrainedModel { Network = network, Prior = prior, Config = h.Config, Step = h.Step, Channels = h.Channels, ImageSize = h.Height, Device = device };
    }

    /// <summary>Copy saved tensors into a network's parameters and buffers, checking names and shapes.</summary>
    public static void LoadState(Module<Tensor, Tensor> network, IReadOnlyDictionary<string, Tensor> saved, string source)
    {
        var own = network.state_dict();
        var missing = own.Keys.Where(k => !saved.ContainsKey(k)).ToList();
        var extra = saved.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidDataException($"{source}: checkpoint does not fit the model (missing {string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? ", ..." : "")}; unexpected {string.Join(", ", extra.Take(3))})");
        using var _ = no_grad();
        foreach (var (name, target) in own)
        {
            var value = saved[name];
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{source}: '{name}' has shape [{string.Join(", ", value.shape)}], the model expects [{string.Join(", ", target.shape)}]");
            target.copy_(value);
        }
    }

    public void Dispose()
    {
        Network.Dispose();
        Prior.Dispose();
    }
}
