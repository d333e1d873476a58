using TorchSharp;
using Ign.Models;
using Ign.Priors;
using Ign.Sampling;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Ign.Normalization;

namespace Ign.Training;

/// <summary>A network f with its prior and config: everything needed to generate or project.</summary>
public sealed class TrainedModel : IDisposable
{
    public required Module<Tensor, Tensor> Network { get; init; }
    public required IPrior Prior { get; init; }
    // what the checkpoint said of the model: config, step, image shape
    public required CheckpointHeader Header { get; init; }
    public required Device Device { get; init; }
    // BatchNorm statistics per kind of input (recalibrated exports), else null
    public NormStatistics? NormStatistics { get; init; }

    public TrainConfig Config => Header.Config;
    public long Step => Header.Step;
    public int Channels => Header.Channels;
    // images are square: height = width
    public int ImageSize => Header.Height;

    /// <summary>f^k(input) for every k in <paramref name="steps"/>, without gradient: the one way a trained model is
    /// applied.
    /// It owns the BatchNorm mode and this model's per-input statistics (<see cref="Sampler.Iterate"/>).</summary>
    /// <param name="classes">a conditional model's classes (B) int64, one per input; null: the null class</param>
    public List<Tensor> Apply(Tensor input, IReadOnlyList<int> steps, NormMode norm, InputKind first,
        Tensor? classes = null)
    {
        using var _ = Conditioning.On(Network, classes);
        return Sampler.Iterate(Network, input, steps, norm, NormStatistics, first);
    }

    /// <summary>Make It Real on images: f^k(input), or with <paramref name="known"/> inpainting, where f fills the
    /// pixels it marks 0 and keeps the rest, k times, the hole refitted before each by <paramref name="fit"/>
    /// (default: <see cref="HoleFit"/>'s; <see cref="Sampler.Inpaint"/>); toward <paramref name="classes"/> when a
    /// conditional model is given them.</summary>
    /// <param name="imagesLike">the kind of corrupted image the input is ("lowres", ...): its own BatchNorm set
    /// for the first application (<see cref="NormStatistics.ImagesLike"/>); null: the clean images' set</param>
    public List<Tensor> Project(Tensor input, Tensor? known, IReadOnlyList<int> steps, NormMode norm,
        Tensor? classes = null, HoleFit? fit = null, string? imagesLike = null)
    {
        var statistics = NormStatistics?.ImagesLike(imagesLike);
        if (imagesLike is not null && statistics is null)
            throw new ArgumentException($"this model has no per-input BatchNorm statistics, none for '{imagesLike}'");
        using var _ = Conditioning.On(Network, classes);
        return known is null
            ? Sampler.Iterate(Network, input, steps, norm, statistics, InputKind.Image)
            : Sampler.Inpaint(Network, input, known, fit ?? new HoleFit(), steps, norm, statistics);
    }

    /// <summary>The classes this model is conditioned on (0: unconditional).</summary>
    public int Classes => Conditioning.ClassesOf(Network);

    /// <summary>(count) labels of one class, on this model's device; a one-line error when the model has no such
    /// class.</summary>
    public Tensor ClassLabels(int label, long count) => Conditioning.Constant(Network, label, count, Device);

    /// <summary>
    /// As <see cref="Apply"/>, from noise, also returning the mean change per application (<c>ign iterate</c>).
    /// </summary>
    public (List<Tensor> Outputs, double[] Changes) ApplyWithChanges(Tensor z, IReadOnlyList<int> steps, NormMode norm,
        Action<int>? progress = null, CancellationToken cancel = default) =>
        Sampler.IterateWithChanges(Network, z, steps, norm, progress, cancel, NormStatistics);

    /// <summary>The concrete mode <paramref name="norm"/> means for this model (Auto resolved).</summary>
    public NormMode Resolve(NormMode norm) => NormModes.Resolve(norm, NormStatistics);

    /// <summary>Load a full or model-only checkpoint; an incompatible one fails with a one-line message.</summary>
    /// <param name="weights">Which weights of a full checkpoint: <see cref="WeightChoice.Sampling"/> (the average when
    /// the run
    /// keeps one, like the run's own grids and model.ckpt), <see cref="WeightChoice.Live"/> (the optimised weights) or
    /// <see cref="WeightChoice.Average"/> (an error when there is none).</param>
    public static TrainedModel Load(string path, Device device, WeightChoice weights = WeightChoice.Sampling)
    {
        using var checkpoint = Checkpoint.Load(path);
        var h = checkpoint.Header;
        var network = ModelFactory.Create(h.Config.Model, h.Channels, h.Height, h.Config.BaseWidth,
            h.Config.ClassOptionsOf());
        var state = weights switch
        {
            WeightChoice.Live when checkpoint.EmaState is null && h.Weights == "ema" =>
                throw new InvalidDataException($"{path} holds only averaged weights (a model-only export); "
                    + "pass the run's checkpoint.ckpt for its live weights"),
            WeightChoice.Live => checkpoint.ModelState,
            WeightChoice.Average => checkpoint.EmaState
                ?? (h.Weights == "ema"
                    ? checkpoint.ModelState
                    : throw new InvalidDataException($"{path} holds no weight average (train with --ema)")),
            _ => checkpoint.EmaState ?? checkpoint.ModelState,
        };
        LoadState(network, state, path);
        network.to(device);
        var prior = PriorFactory.Restore(h.Prior, h.Channels, h.Height, h.Width, checkpoint.PriorStatistics);
        var statistics = weights == WeightChoice.Live && checkpoint.EmaState is not null
            ? null
            : checkpoint.NormStatistics?.CopyTo(device);
        return new TrainedModel
        {
            Network = network, Prior = prior, Header = h, Device = device, NormStatistics = statistics,
        };
    }

    /// <summary>Parses "sampling" | "live" | "ema" (the --weights option).</summary>
    public static WeightChoice ParseWeights(string text) => text.ToLowerInvariant() switch
    {
        "sampling" or "default" => WeightChoice.Sampling,
        "live" => WeightChoice.Live,
        "ema" or "average" => WeightChoice.Average,
        _ => throw new ArgumentException($"--weights must be sampling, live or ema, got '{text}'"),
    };

    /// <summary>Copy saved tensors into a network's parameters and buffers, checking names and shapes.</summary>
    /// <param name="mayLack">names the saved state may lack, which keep the network's own values</param>
    public static void LoadState(Module<Tensor, Tensor> network, IReadOnlyDictionary<string, Tensor> saved,
        string source, Func<string, bool>? mayLack = null)
    {
        var own = network.state_dict();
        var missing = own.Keys.Where(k => !saved.ContainsKey(k) && mayLack?.Invoke(k) != true).ToList();
        var extra = saved.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidDataException($"{source}: checkpoint does not fit the model "
                + $"(missing {string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? ", ..." : "")}; "
                + $"unexpected {string.Join(", ", extra.Take(3))})");
        using var _ = no_grad();
        foreach (var (name, target) in own)
        {
            if (!saved.TryGetValue(name, out var value)) continue;
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{source}: '{name}' has shape [{string.Join(", ", value.shape)}], "
                    + $"the model expects [{string.Join(", ", target.shape)}]");
            target.copy_(value);
        }
    }

    public void Dispose()
    {
        Network.Dispose();
        Prior.Dispose();
        NormStatistics?.Dispose();
    }
}

/// <summary>Which of a checkpoint's weights to load.</summary>
public enum WeightChoice { Sampling, Live, Average }
