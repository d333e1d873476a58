using Ign.Models;
using static TorchSharp.torch;

namespace Ign.Tests.Models;

public class ConditionalNetworkTests
{
    private static Tensor Images(int n, int seed = 3)
    {
        using var g = new Generator((ulong)seed);
        return randn([n, 1, 28, 28], generator: g).tanh();
    }

    /// <summary>f of four images under the labels 0, 3, null, null.</summary>
    private static Tensor TwoClassesTwoNull(CodeNetwork f, Tensor x)
    {
        using var _ = Conditioning.On(f, tensor(new long[] { 0, 3, 10, 10 }));
        return f.forward(x);
    }

    [Fact]
    public void A_new_conditional_network_computes_what_the_unconditional_one_with_its_weights_does()
    {
        manual_seed(5);
        using var plain = new DcganMnist(baseWidth: 8);
        using var conditional = new DcganMnist(baseWidth: 8, classes: 10);
        var own = conditional.state_dict();
        foreach (var (name, value) in plain.state_dict())
            using (no_grad()) own[name].copy_(value);
        plain.eval();
        conditional.eval();
        var x = Images(4);
        using (Conditioning.On(conditional, tensor(new long[] { 0, 3, 7, 10 })))
            Assert.True(plain.forward(x).allclose(conditional.forward(x), rtol: 0, atol: 1e-6));
        Assert.Equal([11, 64], conditional.state_dict()["label_code.weight"].shape);          // 8c = 64
        Assert.Equal([11, 2 * (64 + 32 + 16 + 8)], conditional.state_dict()["label_norm.weight"].shape);
        Assert.DoesNotContain(plain.state_dict().Keys, CodeNetwork.IsClassTable);
    }

    [Fact]
    public void Classes_change_the_output_and_no_label_is_the_null_class()
    {
        manual_seed(6);
        using var f = new DcganMnist(baseWidth: 8, classes: 10);
        using (no_grad())
            foreach (var (name, value) in f.state_dict().Where(kv => CodeNetwork.IsClassTable(kv.Key)))
                value.normal_();
        f.eval();
        var x = Images(2);
        Tensor As(long a, long b)
        {
            using var _ = Conditioning.On(f, tensor(new[] { a, b }));
            return f.forward(x);
        }
        var unset = f.forward(x);
        Assert.True(unset.Same(As(10, 10)), "no labels must mean the null class");
        Assert.False(As(1, 1).allclose(As(7, 7), atol: 1e-3));
        // per image: the first image's output depends on its own label only
        Assert.True(As(1, 7)[0].allclose(As(1, 1)[0], atol: 1e-6));
        Assert.Null(f.Labels);
    }

    [Fact]
    public void The_class_tables_are_read_times_the_network_s_gain()
    {
        manual_seed(7);
        using var tenfold = new DcganMnist(baseWidth: 8, classes: 10);
        using var plain = new DcganMnist(baseWidth: 8, classes: new ClassOptions { Classes = 10, TableGain = 1 });
        var own = plain.state_dict();
        using (no_grad())
            foreach (var (name, value) in tenfold.state_dict())
            {
                if (CodeNetwork.IsClassTable(name)) value.normal_(0, 0.05);
                own[name].copy_(CodeNetwork.IsClassTable(name) ? value * 10 : value); // read ×1: rows ten times larger
            }
        tenfold.eval();
        plain.eval();
        var x = Images(3);
        using (Conditioning.On(tenfold, tensor(new long[] { 2, 5, 10 })))
        using (Conditioning.On(plain, tensor(new long[] { 2, 5, 10 })))
            Assert.True(tenfold.forward(x).allclose(plain.forward(x), rtol: 0, atol: 1e-5));
        Assert.Equal(10, tenfold.TableGain);

        // the null class's row apart: read ×1 while the class rows stay ×10
        using var nullPlain = new DcganMnist(baseWidth: 8, classes: new ClassOptions { Classes = 10, NullRowGain = 1 });
        var apart = nullPlain.state_dict();
        using (no_grad())
            foreach (var (name, value) in tenfold.state_dict())
            {
                apart[name].copy_(value);
                if (CodeNetwork.IsClassTable(name)) apart[name][10].mul_(10);   // the null row, ten times larger
            }
        nullPlain.eval();
        using (Conditioning.On(tenfold, tensor(new long[] { 2, 5, 10 })))
        using (Conditioning.On(nullPlain, tensor(new long[] { 2, 5, 10 })))
            Assert.True(tenfold.forward(x).allclose(nullPlain.forward(x), rtol: 0, atol: 1e-5));
        Assert.Equal(1, nullPlain.NullRowGain);
        Assert.Contains("gain must be positive", Assert.Throws<ArgumentException>(
            () => new DcganMnist(baseWidth: 8, classes: new ClassOptions { Classes = 10, TableGain = 0 })).Message);
    }

    [Fact]
    public void Wrong_labels_are_refused_with_one_line()
    {
        using var plain = new DcganMnist(baseWidth: 8);
        var e = Assert.Throws<ArgumentException>(() => Conditioning.On(plain, tensor(new long[] { 1 })));
        Assert.Contains("not class-conditional", e.Message);
        using var f = new DcganMnist(baseWidth: 8, classes: 10);
        using (Conditioning.On(f, tensor(new long[] { 1, 2, 3 })))
            Assert.Contains("3 labels for a batch of 2", Assert.Throws<ArgumentException>(() => f.forward(Images(2))).Message);
        Assert.Contains("0 to 9", Assert.Throws<ArgumentException>(() => Conditioning.Constant(f, 10, 2)).Message);
    }

    [Fact]
    public void The_code_s_shift_by_class_starts_at_zero_and_never_moves_the_null_class()
    {
        manual_seed(8);
        using var plain = new DcganMnist(baseWidth: 8, classes: new ClassOptions { Classes = 10, NormTables = false });
        using var shifted = new DcganMnist(baseWidth: 8,
            classes: new ClassOptions { Classes = 10, CodeMlp = 16, NormTables = false });
        var own = shifted.state_dict();
        foreach (var (name, value) in plain.state_dict())
            using (no_grad()) own[name].copy_(value);
        Assert.DoesNotContain("label_norm.weight", own.Keys);
        Assert.Equal([16, 64 + 11], own["label_mlp_in.weight"].shape);                       // 8c + classes + null
        Assert.Equal([64, 16], own["label_mlp_out.weight"].shape);
        Assert.All(own.Keys.Where(k => k.StartsWith("label_mlp", StringComparison.Ordinal)),
            k => Assert.True(CodeNetwork.IsClassTable(k)));
        plain.eval();
        shifted.eval();
        var x = Images(4);
        Tensor Run(CodeNetwork f, Tensor images) => TwoClassesTwoNull(f, images);
        Assert.True(Run(plain, x).allclose(Run(shifted, x), rtol: 0, atol: 1e-6));   // its output layer at zero
        using (no_grad())
        {
            own["label_mlp_out.weight"].normal_();
            own["label_mlp_out.bias"].normal_();
        }
        var before = Run(plain, x);
        var after = Run(shifted, x);
        for (int i = 0; i < 2; i++) Assert.False(before[i].allclose(after[i], atol: 1e-3), $"row {i} not shifted");
        for (int i = 2; i < 4; i++) Assert.True(before[i].Same(after[i]), $"null row {i} shifted");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_classes_own_parts_start_as_copies_and_never_move_the_null_class(bool ownEncoder, bool ownDecoder)
    {
        manual_seed(9);
        using var tables = new DcganMnist(baseWidth: 8, classes: 10);
        using var own = new DcganMnist(baseWidth: 8,
            classes: new ClassOptions { Classes = 10, OwnEncoder = ownEncoder, OwnDecoder = ownDecoder });
        Assert.Equal((ownEncoder, ownDecoder), (own.HasClassEncoder, own.HasClassDecoder));
        Assert.False(tables.HasClassEncoder || tables.HasClassDecoder);
        string[] parts = [.. own.ClassCopiesOf.Select(c => c.From)];
        Assert.Equal(ownEncoder, parts.Contains("encoder."));
        Assert.Equal(ownDecoder, parts.Contains("decoder."));
        var state = own.state_dict();
        foreach (var (name, value) in tables.state_dict())
            using (no_grad()) state[name].copy_(value);
        // a new network's, and one that took another's weights once it is started from them again
        own.StartClassCopies();
        foreach (var (name, value) in state.Where(kv => parts.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal))))
            Assert.True(value.Same(state["label_" + name]), $"label_{name} is not a copy of {name}");
        Assert.All(state.Keys.Where(k => k.StartsWith("label_", StringComparison.Ordinal)),
            k => Assert.True(CodeNetwork.IsClassTable(k)));
        tables.eval();
        own.eval();
        var x = Images(4);
        Tensor Run(CodeNetwork f) => TwoClassesTwoNull(f, x);
        var before = Run(tables);
        Assert.True(before.allclose(Run(own), rtol: 0, atol: 1e-6));   // the copies compute what the parts do
        using (no_grad())
            foreach (var (_, weight) in own.named_parameters()
                         .Where(p => p.name.StartsWith("label_encoder", StringComparison.Ordinal)
                                     || p.name.StartsWith("label_decoder", StringComparison.Ordinal)))
                weight.add_(randn_like(weight).mul_(0.5));
        var after = Run(own);
        for (int i = 0; i < 2; i++) Assert.False(before[i].allclose(after[i], atol: 1e-3), $"row {i} not moved");
        for (int i = 2; i < 4; i++) Assert.True(before[i].Same(after[i]), $"null row {i} moved");
        // a batch of one kind runs one encoder and decoder and gives what the mixed batch gave its rows
        Tensor Alone(long label, Tensor images)
        {
            using var _ = Conditioning.On(own, full(images.shape[0], label, dtype: ScalarType.Int64));
            return own.forward(images);
        }
        Assert.True(Alone(10, x.narrow(0, 2, 2)).allclose(after.narrow(0, 2, 2), rtol: 0, atol: 1e-6), "all null");
        // a batch of 1 takes other kernels than one of 4: 1.7e-5 apart here, where the other part would be > 1e-3
        Assert.True(Alone(0, x.narrow(0, 0, 1)).allclose(after.narrow(0, 0, 1), rtol: 0, atol: 1e-4), "all class 0");
    }
}
