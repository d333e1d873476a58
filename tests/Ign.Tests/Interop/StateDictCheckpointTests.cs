using System.Text.RegularExpressions;
using Ign.Interop;
using Ign.Models;
using Ign.Normalization;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Interop;

/// <summary>ign export's PyTorch files and every --checkpoint reading them back, without PyTorch.</summary>
public class StateDictCheckpointTests
{
    [Fact]
    public void Seed_names_are_seed_002s_keys()
    {
        using var f = new DcganMnist(baseWidth: 64);
        var names = SeedNames.Of(f);

        Assert.Equal(45, names.Count); // DCGANLikeModel().state_dict() holds 45 tensors
        Assert.Equal("discriminator.main.0.weight", names["encoder.conv1.weight"]);
        Assert.Equal("discriminator.main.3.running_mean", names["encoder.bn2.running_mean"]);
        Assert.Equal("discriminator.main.15.weight", names["encoder.conv5.weight"]);
        Assert.Equal("generator.main.0.num_batches_tracked", names["decoder.bn1.num_batches_tracked"]);
        Assert.Equal("generator.main.16.weight", names["decoder.deconv5.weight"]);
        Assert.All(names.Values, key => Assert.Matches(
            new Regex(@"^(discriminator|generator)\.main\.\d+\.(weight|bias|running_mean|running_var|num_batches_tracked)$"), key));
    }

    [Theory]
    [InlineData("model.pt", false)]
    [InlineData("model.safetensors", false)]
    [InlineData("model.safetensors", true)]
    public void An_export_reads_back_as_the_same_model(string file, bool half)
    {
        string dir = TestData.TempDir(), checkpoint = Path.Combine(dir, "model.ckpt"), exported = Path.Combine(dir, file);
        manual_seed(5);
        using var f = new DcganMnist(baseWidth: 8);
        PyTorchEquivalenceTests.ModelOnly(f, 8).Save(checkpoint);

        StateDictCheckpoint.Export(checkpoint, exported, StateDictFormats.OfFile(file)!.Value, half, WeightChoice.Live);
        using var back = Checkpoint.Load(exported);

        Assert.True(File.Exists(Path.Combine(dir, "model.ign.json")));
        Assert.Equal(8, back.Header.Config.BaseWidth);
        foreach (var (name, tensor) in f.state_dict())
        {
            var expected = half && tensor.is_floating_point() ? tensor.to(float16) : tensor;
            Assert.True(back.ModelState[name].Same(expected), name);
        }
    }

    [Fact]
    public void An_export_can_carry_a_kind_of_inputs_statistics_in_the_running_buffers()
    {
        string dir = TestData.TempDir(), checkpoint = Path.Combine(dir, "model.ckpt");
        string exported = Path.Combine(dir, "noise.pt"), plain = Path.Combine(dir, "plain.pt");
        manual_seed(5);
        using var f = new DcganMnist(baseWidth: 8);
        var buffers = f.state_dict().Where(kv => kv.Key.Contains("running_")).Select(kv => kv.Key).ToList();
        var sets = Enum.GetValues<InputKind>().ToDictionary(kind => kind,
            kind => buffers.ToDictionary(name => name, name => f.state_dict()[name] + (int)kind + 1.0));
        var model = PyTorchEquivalenceTests.ModelOnly(f, 8);
        new Checkpoint
        {
            Header = model.Header, ModelState = model.ModelState, PriorStatistics = model.PriorStatistics,
            NormStatistics = new NormStatistics(sets),
        }.Save(checkpoint);

        StateDictCheckpoint.Export(checkpoint, exported, StateDictFormat.PyTorch, half: false, WeightChoice.Live,
            InputKind.Noise);
        StateDictCheckpoint.Export(checkpoint, plain, StateDictFormat.PyTorch, half: false, WeightChoice.Live);
        using var back = Checkpoint.Load(exported);
        using var trained = Checkpoint.Load(plain);

        Assert.Equal(14, buffers.Count); // running mean and variance of the encoder's three and decoder's four norms
        foreach (var (name, tensor) in f.state_dict())
        {
            var expected = buffers.Contains(name) ? sets[InputKind.Noise][name] : tensor;
            Assert.True(back.ModelState[name].Same(expected), name);
            Assert.True(trained.ModelState[name].Same(tensor), name);
        }
        string sidecar = File.ReadAllText(StateDictCheckpoint.SidecarPath(exported));
        Assert.Contains("\"runningStatistics\": \"noise\"", sidecar);
        Assert.Null(StateDictCheckpoint.ParseRunningStatistics("trained"));
        Assert.Equal(InputKind.Image, StateDictCheckpoint.ParseRunningStatistics("Images"));
        Assert.Throws<ArgumentException>(() => StateDictCheckpoint.ParseRunningStatistics("test"));
        var missing = Assert.Throws<ArgumentException>(() => StateDictCheckpoint.Export(plain,
            Path.Combine(dir, "again.pt"), StateDictFormat.PyTorch, half: false, WeightChoice.Live, InputKind.Noise));
        Assert.Contains("no per-input BatchNorm statistics", missing.Message);
    }

    [Theory]
    [InlineData(true, 0, false)]
    [InlineData(true, 16, false)]
    [InlineData(false, 0, true)]
    [InlineData(true, 0, true)]
    public void A_conditional_export_reads_back_as_the_same_model(bool normTables, int codeMlp, bool ownParts)
    {
        string dir = TestData.TempDir(), checkpoint = Path.Combine(dir, "model.ckpt");
        string exported = Path.Combine(dir, "model.pt");
        var (f, config) = ConditionalNetwork(normTables, codeMlp, ownParts);
        PyTorchEquivalenceTests.ModelOnly(f, config).Save(checkpoint);

        StateDictCheckpoint.Export(checkpoint, exported, StateDictFormat.PyTorch, half: false, WeightChoice.Live);
        using var back = TrainedModel.Load(exported, CPU, WeightChoice.Live);
        var saved = StateDictFile.Load(exported, StateDictFormat.PyTorch);

        Assert.Contains("discriminator.main.0.weight", saved.Keys);
        Assert.Contains("label_code.weight", saved.Keys);
        Assert.Equal(ownParts, saved.ContainsKey("label_encoder.0.weight"));
        Assert.Equal(ownParts && normTables, saved.ContainsKey("label_decoder.16.weight"));
        Assert.Equal(codeMlp > 0, saved.ContainsKey("label_mlp_in.weight"));
        Assert.True(back.Config.Conditional);
        foreach (var (name, tensor) in f.state_dict()) Assert.True(back.Network.state_dict()[name].Same(tensor), name);
        var x = randn(6, 1, 28, 28).clamp(-1, 1);
        var y = tensor(new long[] { 0, 3, 10, 7, 10, 9 }); // mixed with the null label, 10
        f.eval();
        back.Network.eval();
        using (Conditioning.On(f, y))
        using (Conditioning.On(back.Network, y))
            Assert.True(back.Network.forward(x).Same(f.forward(x)));
    }

    [Fact]
    public void A_conditional_state_dict_without_its_sidecar_fails_with_one_line()
    {
        string dir = TestData.TempDir(), checkpoint = Path.Combine(dir, "model.ckpt");
        string exported = Path.Combine(dir, "model.pt");
        var (f, config) = ConditionalNetwork(normTables: true, codeMlp: 0, ownParts: false);
        PyTorchEquivalenceTests.ModelOnly(f, config).Save(checkpoint);
        StateDictCheckpoint.Export(checkpoint, exported, StateDictFormat.PyTorch, half: false, WeightChoice.Live);
        File.Delete(StateDictCheckpoint.SidecarPath(exported));

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(exported));

        Assert.Contains("class-conditional network without its sidecar", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>A width-8 conditional network whose class parts are not their initial zeros (nor, with parts of
    /// their own, copies of the encoder's and, with norm tables, of the decoder's), so that a part read back wrongly
    /// or ignored changes f(x | y).</summary>
    internal static (DcganMnist F, TrainConfig Config) ConditionalNetwork(bool normTables, int codeMlp, bool ownParts)
    {
        var config = new TrainConfig
        {
            BaseWidth = 8, Conditional = true, Classes = 10, NullRowGain = 3, NoClassNorm = !normTables,
            ClassCodeMlp = codeMlp, ClassAdapter = ownParts, ClassEncoder = ownParts,
            ClassDecoder = ownParts && normTables,
        };
        manual_seed(11);
        var f = new DcganMnist(baseWidth: 8, classes: config.ClassOptionsOf());
        using (no_grad())
            foreach (var (name, p) in f.named_parameters())
                if (CodeNetwork.IsClassTable(name)) p.add_(randn_like(p).mul(0.05));
        return (f, config);
    }

    [Theory]
    [InlineData("dcgan-mnist", 1, 28, "mnist")]
    [InlineData("dcgan-mnist-gn", 1, 28, "mnist")]
    [InlineData("dcgan64", 3, 64, "emoji")]
    public void Without_a_sidecar_the_shapes_say_the_architecture_and_data_set(string model, int channels, int size,
        string dataset)
    {
        string dir = TestData.TempDir(), path = Path.Combine(dir, "foreign.pt");
        using var f = ModelFactory.Create(model, channels, size, 8);
        var names = SeedNames.Of(f);
        StateDictFile.Save(path, f.state_dict().Select(kv => KeyValuePair.Create(names[kv.Key], kv.Value)).ToList(),
            StateDictFormat.PyTorch);

        using var loaded = TrainedModel.Load(path, CPU, WeightChoice.Live);

        Assert.Equal((model, 8, dataset, channels, size),
            (loaded.Config.Model, loaded.Config.BaseWidth, loaded.Config.Dataset, loaded.Channels, loaded.ImageSize));
        Assert.Equal("gaussian", loaded.Prior.Name);
    }

    [Fact]
    public void Tensors_of_another_network_fail_with_one_line()
    {
        string dir = TestData.TempDir(), path = Path.Combine(dir, "other.pt");
        StateDictFile.Save(path, [new("a.weight", zeros(3))], StateDictFormat.PyTorch);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));

        Assert.Contains("not an IGN network's state_dict", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_fits_no_architecture()
    {
        string dir = TestData.TempDir(), path = Path.Combine(dir, "odd.pt");
        using var f = new DcganMnist(baseWidth: 8);
        var names = SeedNames.Of(f);
        var state = f.state_dict().Select(kv => KeyValuePair.Create(names[kv.Key],
            kv.Key == "decoder.deconv5.weight" ? zeros(4, 3, 4, 4) : kv.Value)).ToList();
        StateDictFile.Save(path, state, StateDictFormat.PyTorch);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));

        Assert.Contains("fit none of ign's architectures", error.Message);
    }

    [Theory]
    [InlineData("cut.pt", "not a readable PyTorch state_dict")]
    [InlineData("cut.safetensors", "not a readable safetensors state_dict")]
    public void A_truncated_file_fails_with_one_line_naming_it(string file, string expected)
    {
        string dir = TestData.TempDir(), path = Path.Combine(dir, file);
        using var f = new DcganMnist(baseWidth: 8);
        StateDictFile.Save(path, f.state_dict().ToList(), StateDictFormats.OfFile(file)!.Value);
        using (var stream = File.OpenWrite(path)) stream.SetLength(stream.Length / 3);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
