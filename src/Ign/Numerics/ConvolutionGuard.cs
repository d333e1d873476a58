using System.Collections.Concurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ign.Numerics;

/// <summary>How the guard treats CPU float32 convolutions (IGN_CONV_GUARD = check | off | unfold).</summary>
public enum GuardMode
{
    /// <summary>
    /// Check each shape once against the reference; run it on libtorch where right, on unfold where not.
    /// </summary>
    Check,
    /// <summary>Trust libtorch everywhere (to measure it, or where the check is known clean).</summary>
    Off,
    /// <summary>Run every convolution as unfold + matmul, unchecked.</summary>
    Unfold,
}

/// <summary>
/// The one seam every convolution of our models goes through. libtorch's CPU convolutions (oneDNN's JIT kernels) are
/// wrong for some shapes on some CPUs: NaN or errors of order one, forward or backward, with or without an ISA cap
/// (docs/numerics.md). So before a shape is first computed in a process, it is checked against a managed float64
/// reference (<see cref="ConvolutionCheck"/>; the verdict is cached per machine), and a shape libtorch gets wrong takes
/// the first detour that is right: libtorch on padded channels where that is cheap, else unfold + matmul. Shapes
/// libtorch gets right keep its kernels and their speed. GPU tensors and dtypes other than float32 pass straight to
/// libtorch. Safe to call from several threads.
/// </summary>
public static class ConvolutionGuard
{
    /// <summary>Where verdicts are kept between processes.</summary>
    public static VerdictCache Cache { get; set; } = VerdictCache.Default();

    private static readonly ConcurrentDictionary<ConvShape, ConvPath> Paths = new(); // records compare by value
    private static readonly ConcurrentDictionary<string, byte> Said = new();
    private static readonly Lock Measuring = new();
    private static readonly AsyncLocal<Func<ConvShape, ConvPath>?> Verdicts = new();
    private static readonly AsyncLocal<Func<ConvShape, Func<Tensor, Tensor, Tensor>?>?> Kernels = new();
    private static readonly AsyncLocal<List<ConvUse>?> Recorded = new();
    private static readonly Lazy<(string Fingerprint, Dictionary<string, ConvPath> Known)> Disk = new(() =>
    {
        NativeLibtorch.SilenceUnusableNnpack();
        string fingerprint = CpuDescription.Fingerprint;
        return (fingerprint, Cache.Load(fingerprint));
    });

    public static GuardMode Mode { get; set; } = ParseMode(Environment.GetEnvironmentVariable("IGN_CONV_GUARD"));

    /// <summary>One line for the user each time the guard reroutes something (the library never prints).</summary>
    public static event Action<string>? Notice;

    /// <summary>The layer's output for x, along the path chosen for this shape.</summary>
    public static Tensor Forward(Convolution layer, Tensor x)
    {
        var shape = ConvShape.Of(layer, x);
#pragma warning disable RS0030 // what the check does not cover (dilation, output padding) goes to libtorch as it is
        if (shape is null) return layer is ConvTranspose2d deconv ? deconv.forward(x) : ((Conv2d)layer).forward(x);
#pragma warning restore RS0030
        if (Kernels.Value?.Invoke(shape) is { } kernel) return kernel(x, layer.weight!);
        return ConvolutionCheck.Apply(shape, PathFor(shape, x, layer), x, layer.weight!, layer.bias);
    }

    /// <summary>A functional conv2d (weight (out, in/groups, kh, kw)) through the same seam.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, long stride = 1, long padding = 0, long groups = 1)
    {
        var shape = ConvShape.OfConv2d(x, weight, stride, padding, groups);
        return ConvolutionCheck.Apply(shape, PathFor(shape, x), x, weight);
    }

    /// <summary>The path this shape takes for this input, checking the shape first if no verdict is known.</summary>
    public static ConvPath PathFor(ConvShape shape, Tensor x, Convolution? layer = null)
    {
        var path = x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32 ? ConvPath.Libtorch
            : Verdicts.Value is { } injected ? injected(shape)
            : Mode switch
            {
                GuardMode.Off => ConvPath.Libtorch,
                GuardMode.Unfold => ConvPath.Unfold,
                _ => Checked(shape)
            };
        Recorded.Value?.Add(new ConvUse(layer, shape, path));
        return path;
    }

    /// <summary>
    /// Checks every convolution of a model by one batch-2 forward pass in eval mode (no randomness drawn, no
    /// statistics updated) and returns one line for the user when any shape was rerouted, null otherwise.
    /// </summary>
    public static string? Inspect(nn.Module<Tensor, Tensor> model, long channels, long size, string description)
    {
        var shapes = Uses(model, channels, size).DistinctBy(s => s.Shape).ToList();
        int rerouted = shapes.Count(s => s.Path != ConvPath.Libtorch);
        if (rerouted == 0) return null;
        var line = Mode == GuardMode.Unfold && Verdicts.Value is null
            ? $"numerics guard: IGN_CONV_GUARD=unfold, all {shapes.Count} convolution shapes of {description} " +
                   "run as unfold + matmul"
            : $"numerics guard: libtorch computes {rerouted} of the {shapes.Count} convolution shapes of " +
                   $"{description} wrongly on this CPU ({CpuDescription.Model}, {CpuDescription.OneDnnIsa}); " +
                   $"they take a detour ({ConvPaths.CountDetours(shapes.Select(s => s.Path))}), the rest run on " +
                   "libtorch's kernels (`ign doctor` shows the table)";
        Say(line);
        return line;
    }

    /// <summary>
    /// Every convolution a batch-2 forward pass of the model makes, in order, with the path each takes.
    /// </summary>
    public static List<ConvUse> Uses(nn.Module<Tensor, Tensor> model, long channels, long size)
    {
        var seen = new List<ConvUse>();
        Recorded.Value = seen;
        bool training = model.training;
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.eval();
            var device = model.parameters().FirstOrDefault()?.device ?? CPU;
            model.forward(zeros([2, channels, size, size], device: device));
        }
        finally
        {
            model.train(training);
            Recorded.Value = null;
        }
        return seen;
    }

    /// <summary>
    /// Stores a verdict found elsewhere (`ign doctor`'s longer check) for this process and the machine's cache.
    /// </summary>
    public static void Remember(ConvShape shape, ConvPath path)
    {
        Paths[shape] = path;
        Cache.Save(Disk.Value.Fingerprint, shape.Key, path);
    }

    /// <summary>Verdicts from a function instead of checks, for this async flow only (tests).</summary>
    public static IDisposable UseVerdicts(Func<ConvShape, ConvPath> verdicts)
    {
        var previous = Verdicts.Value;
        Verdicts.Value = verdicts;
        return new Restore(() => Verdicts.Value = previous);
    }

    /// <summary>Kernels of our own for the shapes the function names, in this async flow only: how tests show what the
    /// rest of the program does when a convolution is wrong (a null kernel keeps the usual path).</summary>
    public static IDisposable UseKernels(Func<ConvShape, Func<Tensor, Tensor, Tensor>?> kernels)
    {
        var previous = Kernels.Value;
        Kernels.Value = kernels;
        return new Restore(() => Kernels.Value = previous);
    }

    private static ConvPath Checked(ConvShape shape)
    {
        if (Paths.TryGetValue(shape, out var known)) return known;
        lock (Measuring)
        {
            if (Paths.TryGetValue(shape, out known)) return known;
            var (fingerprint, disk) = Disk.Value;
            if (!disk.TryGetValue(shape.Key, out known))
            {
                var (chosen, results) = ConvolutionCheck.Choose(shape);
                known = chosen ?? throw new NumericsException(
                    $"no path computes {shape} correctly on this CPU ({CpuDescription.Model}): " +
                    $"smallest relative error {results.Min(r => r.WorstError):G2}; run `ign doctor` and report it");
                Cache.Save(fingerprint, shape.Key, known);
            }
            Paths[shape] = known;
            if (known != ConvPath.Libtorch && Recorded.Value is null)
                Say($"numerics guard: libtorch computes {shape} wrongly on this CPU ({CpuDescription.Model}); " +
                    "it runs as " + known.Describe());
            return known;
        }
    }

    private static void Say(string line)
    {
        if (Said.TryAdd(line, 0)) Notice?.Invoke(line);
    }

    private static GuardMode ParseMode(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "check" => GuardMode.Check,
        "off" => GuardMode.Off,
        "unfold" => GuardMode.Unfold,
        _ => throw new NumericsException($"IGN_CONV_GUARD must be check, off or unfold, got '{text}'"),
    };

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>
/// One convolution a forward pass made: the layer (null for a functional call), its problem and its path.
/// </summary>
public sealed record ConvUse(Convolution? Layer, ConvShape Shape, ConvPath Path);

/// <summary>A computation that cannot be trusted: a one-line message for the user.</summary>
public sealed class NumericsException(string message) : Exception(message);
