using Ign.Models;
using Ign.Normalization;
using static TorchSharp.torch;

namespace Ign.Training;

/// <summary>
/// One model from two trained ones (<c>ign compose</c>): an unconditional model for the null class and a
/// class-conditional model for the classes. The result is a class adapter with the classes' own encoder and decoder
/// (<c>--class-adapter --class-encoder --class-decoder</c>, docs/quality.md section 32) whose copies and class tables
/// are the conditional model's instead of trained on top of the unconditional one; its null class computes what the
/// unconditional model does and every class what the conditional model does, at two networks' parameters
/// (docs/quality.md section 33).
/// </summary>
public static class ClassComposition
{
    /// <summary>Writes the composed model-only checkpoint to <paramref name="destination"/> (atomically) and returns
    /// the kinds of corrupted image whose BatchNorm sets only one of the two models had, which it leaves out.
    /// </summary>
    /// <param name="unconditional">the null class's model: an unconditional checkpoint</param>
    /// <param name="conditional">the classes' model: a class-conditional checkpoint trained with its null label
    /// (not an adapter), of the same architecture, width, image shape and prior</param>
    public static IReadOnlyList<string> Compose(string unconditional, string conditional, string destination)
    {
        using var nullModel = Checkpoint.Load(unconditional);
        using var classModel = Checkpoint.Load(conditional);
        Check(nullModel, unconditional, classModel, conditional);
        var config = classModel.Header.Config with
        {
            ClassAdapter = true, ClassEncoder = true, ClassDecoder = true,
            InitFrom = IO.RecordedPath.Of(unconditional), ClassesFrom = IO.RecordedPath.Of(conditional),
        };
        var state = new Dictionary<string, Tensor>(SamplingState(nullModel));
        foreach (var (name, tensor) in SamplingState(classModel))
            state[ClassName(name)] = CodeNetwork.IsClassTable(name) ? WithoutNullRow(name, tensor) : tensor;
        var (statistics, dropped) = ComposedStatistics(nullModel.NormStatistics, classModel.NormStatistics);
        using var owned = statistics;
        using (var network = ModelFactory.Create(config.Model, nullModel.Header.Channels, nullModel.Header.Height,
                   config.BaseWidth, config.ClassOptionsOf()))
            TrainedModel.LoadState(network, state, destination);   // names and shapes as the network has them
        new Checkpoint
        {
            Header = nullModel.Header with
            {
                Kind = "model", Config = config, Step = classModel.Header.Step, AdamStep = 0,
                CreatedUtc = DateTime.UtcNow.ToString("O"),
            },
            ModelState = state,
            PriorStatistics = nullModel.PriorStatistics,
            NormStatistics = statistics,
        }.Save(destination);
        return dropped;
    }

    private static void Check(Checkpoint nullModel, string nullPath, Checkpoint classModel, string classPath)
    {
        TrainConfig n = nullModel.Header.Config, c = classModel.Header.Config;
        if (n.Conditional)
            throw new ArgumentException($"the null class's model must be unconditional, and '{nullPath}' is conditional");
        if (!c.Conditional)
            throw new ArgumentException($"the classes' model must be class-conditional, and '{classPath}' is not");
        if (c.ClassAdapter)
            throw new ArgumentException($"the classes' model must be a conditional model trained as one, and " +
                                        $"'{classPath}' is a class adapter");
        var (nh, ch) = (nullModel.Header, classModel.Header);
        if (n.Model != c.Model || n.BaseWidth != c.BaseWidth)
            throw new ArgumentException($"the two models differ: {n.Model} width {n.BaseWidth} against {c.Model} " +
                                        $"width {c.BaseWidth}");
        if ((nh.Channels, nh.Height, nh.Width) != (ch.Channels, ch.Height, ch.Width))
            throw new ArgumentException($"the two models' images differ: {nh.Channels}×{nh.Height}×{nh.Width} against " +
                                        $"{ch.Channels}×{ch.Height}×{ch.Width}");
        if (nh.Prior != ch.Prior || !SameTensors(nullModel.PriorStatistics, classModel.PriorStatistics))
            throw new ArgumentException($"the two models' priors differ ({nh.Prior} against {ch.Prior}, or their " +
                                        "statistics): the classes would be drawn from noise they were not trained on");
        if ((nullModel.NormStatistics is null) != (classModel.NormStatistics is null))
            throw new ArgumentException("one model has per-input BatchNorm statistics and the other none: export " +
                                        "both with --recalibrate-bn, or neither");
    }

    /// <summary>The weights a checkpoint samples with: its weight average when it keeps one.</summary>
    private static Dictionary<string, Tensor> SamplingState(Checkpoint checkpoint) =>
        checkpoint.EmaState ?? checkpoint.ModelState;

    /// <summary>The conditional model's encoder and decoder become the classes' own copies; its tables keep their
    /// names.</summary>
    private static string ClassName(string name) =>
        CodeNetwork.IsClassTable(name) ? name : "label_" + name;

    /// <summary>A per-label table with the null label's row zero, so that a null row's code and normalisations are
    /// the unconditional model's; other class parts (the code's shift, zero on null rows) as they are.</summary>
    private static Tensor WithoutNullRow(string name, Tensor table)
    {
        if (name is not ("label_code.weight" or "label_norm.weight")) return table;
        var copy = table.clone();                      // (Classes + 1, D): the null label's row is the last
        using (no_grad()) copy[table.shape[0] - 1].zero_();
        return copy;
    }

    /// <summary>The null model's statistics for its layers and the class model's for the classes' copies, in the
    /// kinds of image both have; and the kinds only one had.</summary>
    private static (NormStatistics? Statistics, IReadOnlyList<string> Dropped) ComposedStatistics(
        NormStatistics? nullSets, NormStatistics? classSets)
    {
        if (nullSets is null || classSets is null) return (null, []);
        var kept = nullSets.ImageKinds.Intersect(classSets.ImageKinds).ToHashSet();
        var dropped = nullSets.ImageKinds.Union(classSets.ImageKinds).Where(k => !kept.Contains(k)).Order().ToList();
        var flat = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in nullSets.ToFlat())
            if (InKept(key)) flat[key] = tensor.clone();
        foreach (var (key, tensor) in classSets.ToFlat())
        {
            int dot = key.IndexOf('.');
            if (InKept(key)) flat[$"{key[..(dot + 1)]}{ClassName(key[(dot + 1)..])}"] = tensor.clone();
        }
        return (NormStatistics.FromFlat(flat), dropped);

        bool InKept(string key) => NormStatistics.ImageKindOf(key) is not { } kind || kept.Contains(kind);
    }

    /// <summary>Whether two named sets of tensors are equal name by name, shape and value.</summary>
    internal static bool SameTensors(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var t) && kv.Value.shape.SequenceEqual(t.shape)
            && kv.Value.eq(t).all().item<bool>());
}
