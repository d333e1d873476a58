using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>A network that can take class labels (<see cref="CodeNetwork"/> when built with classes).</summary>
public interface IClassConditional
{
    /// <summary>Its classes, 0 to Classes − 1 (0: unconditional); label Classes is the null class.</summary>
    int Classes { get; }

    /// <summary>The labels (B) of the next passes; null: the null class.</summary>
    Tensor? Labels { get; set; }
}

/// <summary>
/// Sets the class labels of a conditional network for a stretch of code and puts the previous ones back after:
/// <c>using (Conditioning.On(f, labels)) f.forward(x);</c>. Null labels mean the null label ("no class").
/// </summary>
public sealed class Conditioning : IDisposable
{
    private readonly IClassConditional? network;
    private readonly Tensor? previous;

    private Conditioning(IClassConditional? network, Tensor? labels)
    {
        this.network = network;
        if (network is null) return;
        previous = network.Labels;
        network.Labels = labels;
    }

    /// <summary>The one error for labels given to a network that takes none.</summary>
    public const string NotConditional = "this model is not class-conditional (train one with --conditional)";

    /// <summary>Labels (B) for f's next passes; an unconditional f accepts only null.</summary>
    public static Conditioning On(Module<Tensor, Tensor> f, Tensor? labels) => f switch
    {
        IClassConditional conditional => new Conditioning(conditional, labels),
        _ when labels is null => new Conditioning(null, null),
        _ => throw new ArgumentException(NotConditional),
    };

    /// <summary>The classes f is conditioned on: 0 for an unconditional network.</summary>
    public static int ClassesOf(Module<Tensor, Tensor> f) => f is IClassConditional c ? c.Classes : 0;

    /// <summary>(count) labels all equal to <paramref name="label"/>, checked against f's classes.</summary>
    public static Tensor Constant(Module<Tensor, Tensor> f, int label, long count, Device? device = null)
    {
        int classes = ClassesOf(f);
        if (classes == 0) throw new ArgumentException(NotConditional);
        if (label < 0 || label >= classes)
            throw new ArgumentException($"--class must be 0 to {classes - 1} for this model, got {label}");
        return Same(label, count, device);
    }

    /// <summary>(count) int64 labels, all <paramref name="label"/>.</summary>
    internal static Tensor Same(int label, long count, Device? device) =>
        tensor(Enumerable.Repeat((long)label, (int)count).ToArray(), device: device);

    /// <summary>
    /// Labels for a pass of <paramref name="count"/> images drawn as training draws them: uniform over f's classes,
    /// each replaced by the null class with probability <paramref name="nullRate"/> (drawn from
    /// <paramref name="generator"/>); for an unconditional f null, drawing nothing. A conditional decoder's
    /// BatchNorm saw that mix in training, so its statistics are taken over the same mix.
    /// </summary>
    public static Tensor? AsInTraining(Module<Tensor, Tensor> f, long count, double nullRate, Generator generator,
                                       Device device) =>
        ClassesOf(f) is var classes and > 0
            ? DropToNull(randint(classes, [count], dtype: ScalarType.Int64, generator: generator), classes, nullRate,
                generator).to(device)
            : null;

    /// <summary>Each label replaced by the null class (= <paramref name="classes"/>) with probability
    /// <paramref name="rate"/>, drawn from <paramref name="generator"/> (null: torch's global one).</summary>
    /// <param name="labels">(B) int64 on the CPU</param>
    public static Tensor DropToNull(Tensor labels, int classes, double rate, Generator? generator = null)
    {
        using var scalars = new Runtime.HeldScalars();
        var dropped = rand(labels.shape[0], generator: generator).lt(scalars.Of(rate));   // (B) bool
        return labels.masked_fill(dropped, scalars.Of(classes));                          // (B)
    }

    public void Dispose()
    {
        if (network is not null) network.Labels = previous;
    }
}
