using Ign.Models;
using Ign.Normalization;
using Ign.Tests.Interop;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

/// <summary>ign compose: the null class is the unconditional model, the classes the conditional one, exactly.</summary>
public class ClassCompositionTests
{
    private const int Width = 8;

    private static readonly TrainConfig UnconditionalConfig = new() { BaseWidth = Width };
    private static readonly TrainConfig ConditionalConfig =
        new() { BaseWidth = Width, Conditional = true, Classes = 10, ClassTableGain = 3 };

    /// <summary>Random weights, BatchNorm buffers and class tables (the null label's row too), so that a swapped or
    /// missing part, a table row left in, or a set of statistics of the other model shows in the outputs.</summary>
    private static DcganMnist RandomNetwork(bool conditional, int seed)
    {
        manual_seed(seed);
        var f = new DcganMnist(baseWidth: Width, classes: conditional ? ConditionalConfig.ClassOptionsOf() : null);
        using var _ = no_grad();
        foreach (var (name, tensor) in f.state_dict())
        {
            if (name.EndsWith("running_var", StringComparison.Ordinal)) tensor.copy_(rand_like(tensor) + 0.5);
            else if (name.EndsWith("running_mean", StringComparison.Ordinal)) tensor.copy_(randn_like(tensor) * 0.1);
            else if (CodeNetwork.IsClassTable(name)) tensor.copy_(randn_like(tensor) * 0.1);
        }
        f.eval();
        return f;
    }

    /// <summary>Per-input statistics: the network's buffers shifted by a different amount per set and model.</summary>
    private static NormStatistics Statistics(DcganMnist f, double shift, params string[] imageKinds)
    {
        var buffers = f.state_dict().Where(kv => kv.Key.Contains("running_")).ToList();
        Dictionary<string, Tensor> Set(double by) => buffers.ToDictionary(kv => kv.Key, kv => kv.Value + by);
        return new NormStatistics(
            Enum.GetValues<InputKind>().ToDictionary(kind => kind, kind => Set(shift * ((int)kind + 1))),
            imageKinds.ToDictionary(kind => kind, _ => Set(shift * 7)));
    }

    private static string Save(DcganMnist f, TrainConfig config, string dir, string file, NormStatistics? sets)
    {
        var model = PyTorchEquivalenceTests.ModelOnly(f, config);
        string path = Path.Combine(dir, file);
        new Checkpoint
        {
            Header = model.Header, ModelState = model.ModelState, PriorStatistics = model.PriorStatistics,
            NormStatistics = sets,
        }.Save(path);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_null_class_is_the_unconditional_model_and_each_class_the_conditional_one(bool statistics)
    {
        string dir = TestData.TempDir(), composed = Path.Combine(dir, "composed.ckpt");
        using var unconditional = RandomNetwork(conditional: false, seed: 1);
        using var conditional = RandomNetwork(conditional: true, seed: 2);
        string nullPath = Save(unconditional, UnconditionalConfig, dir, "null.ckpt",
            statistics ? Statistics(unconditional, 0.01, "lowres", "sketch") : null);
        string classPath = Save(conditional, ConditionalConfig, dir, "classes.ckpt",
            statistics ? Statistics(conditional, 0.02, "lowres") : null);

        var dropped = ClassComposition.Compose(nullPath, classPath, composed);

        Assert.Equal(statistics ? ["sketch"] : Array.Empty<string>(), dropped);
        using var both = TrainedModel.Load(composed, CPU);
        using var nullModel = TrainedModel.Load(nullPath, CPU);
        using var classModel = TrainedModel.Load(classPath, CPU);
        Assert.True(both.Config is { ClassAdapter: true, ClassEncoder: true, ClassDecoder: true });
        Assert.Equal(("null.ckpt", "classes.ckpt"), (both.Config.InitFrom, both.Config.ClassesFrom)); // outside a repo
        manual_seed(3);
        var z = randn(4, 1, 28, 28);                                 // (4, 1, 28, 28)
        var labels = tensor(new long[] { 10, 3, 10, 7 });            // the null label, 3, the null label, 7
        var norm = statistics ? NormMode.Running : NormMode.Batch;
        var mixed = both.Apply(z, [1], norm, InputKind.Noise, labels)[0];
        var asNull = nullModel.Apply(z, [1], norm, InputKind.Noise)[0];
        var asClasses = classModel.Apply(z, [1], norm, InputKind.Noise, labels)[0];
        var allNull = both.Apply(z, [1], norm, InputKind.Noise)[0];
        var allClass = both.Apply(z, [1], norm, InputKind.Noise, tensor(new long[] { 3, 3, 7, 7 }))[0];
        var classOnly = classModel.Apply(z, [1], norm, InputKind.Noise, tensor(new long[] { 3, 3, 7, 7 }))[0];

        Assert.False(asNull.allclose(asClasses, rtol: 0, atol: 1e-3));  // the two models differ on every row
        if (statistics)
        {
            Assert.True(allNull.allclose(asNull, rtol: 0, atol: 1e-6));
            Assert.True(allClass.allclose(classOnly, rtol: 0, atol: 1e-6));
            foreach (int row in new[] { 0, 2 }) Assert.True(mixed[row].allclose(asNull[row], rtol: 0, atol: 1e-6));
            foreach (int row in new[] { 1, 3 }) Assert.True(mixed[row].allclose(asClasses[row], rtol: 0, atol: 1e-6));
        }
        else
        {
            // batch statistics: a batch of one kind only, as generation draws it
            Assert.True(allNull.allclose(asNull, rtol: 0, atol: 1e-6));
            Assert.True(allClass.allclose(classOnly, rtol: 0, atol: 1e-6));
        }
    }

    [Fact]
    public void Two_models_that_do_not_go_together_are_refused_and_nothing_is_written()
    {
        string dir = TestData.TempDir(), composed = Path.Combine(dir, "composed.ckpt");
        using var unconditional = RandomNetwork(conditional: false, seed: 1);
        using var conditional = RandomNetwork(conditional: true, seed: 2);
        manual_seed(4);
        using var wider = new DcganMnist(baseWidth: 2 * Width);
        string nullPath = Save(unconditional, UnconditionalConfig, dir, "null.ckpt", null);
        string classPath = Save(conditional, ConditionalConfig, dir, "classes.ckpt", null);
        string widerPath = Save(wider, new TrainConfig { BaseWidth = 2 * Width }, dir, "wider.ckpt", null);
        string adapterPath = Save(conditional, ConditionalConfig with { ClassAdapter = true }, dir, "adapter.ckpt",
            null);
        string withSets = Save(unconditional, UnconditionalConfig, dir, "sets.ckpt", Statistics(unconditional, 0.01));

        void Refused(string nullClass, string classes, string says) =>
            Assert.Contains(says, Assert.Throws<ArgumentException>(
                () => ClassComposition.Compose(nullClass, classes, composed)).Message);

        Refused(classPath, classPath, "must be unconditional");
        Refused(nullPath, nullPath, "must be class-conditional");
        Refused(nullPath, adapterPath, "is a class adapter");
        Refused(widerPath, classPath, "the two models differ");
        Refused(withSets, classPath, "BatchNorm statistics");
        Assert.False(File.Exists(composed));
    }
}
