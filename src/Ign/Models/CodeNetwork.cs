using Ign.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Models;

/// <summary>
/// What both IGN networks are: an encoder to an 8c×1×1 code (last layer "conv5") and a decoder back (first layer
/// "deconv1"), every layer run through <see cref="LayerForward"/>. A subclass builds the two Sequentials in its
/// constructor, then calls <see cref="Finish"/>.
/// </summary>
/// <remarks>
/// A class-conditional network (<see cref="Classes"/> &gt; 0) adds a learned vector of its label to the code and
/// scales and shifts the output of every decoder normalisation per label (conditional normalisation):
/// h ← h·(1 + γ_y) + β_y. Label <see cref="Classes"/> is the null label, "no class", used wherever no label is set,
/// so one network generates both with and without a class. Both tables start at zero: a new conditional network
/// computes what the unconditional one with the same weights does. Their rows are read ×<see cref="TableGain"/>.
/// Optionally (<see cref="CodeMlpWidth"/> &gt; 0) a small network of the code and the label adds a shift of its own
/// to the code, a different one for every input, zero for the null label (a residual branch whose output layer starts
/// at zero); and the per-label normalisation can be left out (<see cref="NormTables"/> false), so that the label
/// reaches the decoder only through the code. And the classes can have an encoder and a decoder of their own
/// (<see cref="HasClassEncoder"/>, <see cref="HasClassDecoder"/>), copies of the network's at the start, the
/// null class keeping the network's.
/// </remarks>
public abstract class CodeNetwork : Module<Tensor, Tensor>, IClassConditional
{
    protected Sequential encoder = null!;
    protected Sequential decoder = null!;
    // (Classes + 1, 8c) and (Classes + 1, 2·Σ decoder norm widths); null when unconditional
    private Embedding? label_code;
    private Embedding? label_norm;
    // (8c + Classes + 1 → h) and (h → 8c): the code's shift per input and label; null when off
    private Linear? label_mlp_in;
    private Linear? label_mlp_out;
    // the classes' own encoder and decoder, the null class keeping the network's; null when off
    private Sequential? label_encoder;
    private Sequential? label_decoder;
    private readonly Dictionary<string, (long Offset, long Features)> normSlices = [];
    private Tensor? labels;

    /// <summary>
    /// What the class tables' rows are multiplied by when read. Adam moves every weight by about the learning rate per
    /// step whatever its gradient, so a table starting at zero would need thousands of steps to reach the O(1) shifts
    /// and scales a class needs; read ×10, it gets there ten times sooner (a per-table learning rate, in effect).
    /// </summary>
    public const double DefaultTableGain = 10;

    /// <summary>What this network's class tables' rows are multiplied by when read (<see cref="DefaultTableGain"/>).
    /// </summary>
    public double TableGain { get; private set; } = DefaultTableGain;

    /// <summary>What the null class's row is multiplied by (<see cref="TableGain"/> unless set apart).</summary>
    public double NullRowGain { get; private set; } = DefaultTableGain;

    /// <summary>The hidden width of the code's per-input shift by label (0: none).</summary>
    public int CodeMlpWidth { get; private set; }

    /// <summary>Whether each label scales and shifts the decoder's normalisations (otherwise only the code sees it).
    /// </summary>
    public bool NormTables { get; private set; } = true;

    /// <summary>The classes this network is conditioned on (0: unconditional); label Classes means "no class".
    /// </summary>
    public int Classes { get; private set; }

    /// <summary>True for the state names of the class tables (what an unconditional network lacks).</summary>
    public static bool IsClassTable(string stateName) => stateName.StartsWith("label_", StringComparison.Ordinal);

    /// <summary>The null label: "no class".</summary>
    public int NullLabel => Classes;

    protected CodeNetwork(string name, int baseWidth) : base(name) => CheckBaseWidth(baseWidth);

    /// <summary>The one rule for c: the decoder halves it down to c/2 channels.</summary>
    public static bool IsValidBaseWidth(int baseWidth) => baseWidth >= 2 && baseWidth % 2 == 0;

    public static string BaseWidthError(int baseWidth) => $"base width must be an even number ≥ 2, got {baseWidth}";

    /// <summary>The one rule for a class table's gain (the class rows' and the null row's): positive and finite.
    /// </summary>
    public static bool IsValidGain(double gain) => gain > 0 && double.IsFinite(gain);

    private static void CheckBaseWidth(int baseWidth)
    {
        if (!IsValidBaseWidth(baseWidth)) throw new ArgumentException(BaseWidthError(baseWidth));
    }

    /// <summary>
    /// Run the two layers that touch the 1×1 code (conv5 onto 1×1, deconv1 from 1×1) as the matrix products they
    /// are. Same weights, same mathematics; the GEMM path is faster on CPU than the convolution kernels for these
    /// shapes (docs/performance.md). Off = plain convolutions.
    /// </summary>
    public bool PointLayersAsMatmul { get; set; } = true;

    /// <summary>
    /// The subclass's last constructor step: for a conditional network (<paramref name="options"/>) the label tables
    /// and, when asked, the code's shift by label and the classes' own encoder and decoder (built by
    /// <paramref name="buildEncoder"/> and <paramref name="buildDecoder"/>, the functions that built
    /// <see cref="encoder"/> and <see cref="decoder"/>, and started as copies of them); then registration.
    /// </summary>
    protected void Finish(ClassOptions options, Func<Sequential> buildEncoder, Func<Sequential> buildDecoder)
    {
        options.Validate();
        Classes = options.Classes;
        TableGain = options.TableGain;
        NullRowGain = options.NullRowGain ?? options.TableGain;
        if (Classes > 0)
        {
            long offset = 0;
            foreach (var (name, layer) in decoder.named_children())
            {
                long features = layer switch
                {
                    BatchNorm b => b.weight!.shape[0],
                    GroupNorm g => g.weight!.shape[0],
                    _ => 0,
                };
                if (features == 0) continue;
                normSlices[name] = (offset, features);
                offset += 2 * features;
            }
            long code = ((ConvTranspose2d)decoder.named_children().First(c => c.name == "deconv1").module)
                .weight!.shape[0];
            label_code = Embedding(Classes + 1, code);
            if (options.NormTables) label_norm = Embedding(Classes + 1, offset);
            if (options.CodeMlp > 0)
            {
                label_mlp_in = Linear(code + Classes + 1, options.CodeMlp);
                label_mlp_out = Linear(options.CodeMlp, code);
            }
            if (options.OwnEncoder) label_encoder = buildEncoder();
            if (options.OwnDecoder) label_decoder = buildDecoder();
            using (no_grad())
            {
                label_code.weight!.zero_();
                label_norm?.weight!.zero_();
                label_mlp_out?.weight!.zero_();
                label_mlp_out?.bias!.zero_();
            }
            (CodeMlpWidth, NormTables) = (options.CodeMlp, options.NormTables);
        }
        RegisterComponents();
        StartClassCopies();
    }

    /// <summary>Whether the classes have an encoder of their own: the code of an input with a class comes from it,
    /// that of the null class from the network's encoder, so that training it leaves "no class" as it was.</summary>
    public bool HasClassEncoder => label_encoder is not null;

    /// <summary>Whether the classes have a decoder of their own, likewise.</summary>
    public bool HasClassDecoder => label_decoder is not null;

    /// <summary>The state-name prefixes of the parts the classes' own copies copy and of the copies (("encoder.",
    /// "label_encoder."), ("decoder.", "label_decoder.")), for whatever is kept per layer by name, such as BatchNorm
    /// statistics; empty without copies.</summary>
    public IReadOnlyList<(string From, string To)> ClassCopiesOf => [.. ClassCopies().Select(c => (c.From, c.To))];

    private IEnumerable<(string From, string To, Sequential Part, Sequential Copy)> ClassCopies()
    {
        if (label_encoder is not null)
            yield return ($"{nameof(encoder)}.", $"{nameof(label_encoder)}.", encoder, label_encoder);
        if (label_decoder is not null)
            yield return ($"{nameof(decoder)}.", $"{nameof(label_decoder)}.", decoder, label_decoder);
    }

    /// <summary>Makes the classes' own encoder and decoder (those there are) copies of the network's, weights and
    /// BatchNorm buffers: a new network, and one after it took an unconditional model's weights, computes what that
    /// model does.</summary>
    public void StartClassCopies()
    {
        using var _ = no_grad();
        foreach (var (_, _, part, copy) in ClassCopies())
        {
            var from = part.state_dict();
            foreach (var (name, tensor) in copy.state_dict()) tensor.copy_(from[name]);
        }
    }

    /// <summary>
    /// The labels of the next forward passes, (B) int64 in [0, Classes] (Classes = the null label), or null for the
    /// null label everywhere; prefer <see cref="Conditioning.On"/>, which restores the previous labels.
    /// </summary>
    public Tensor? Labels
    {
        get => labels;
        set
        {
            if (value is not null && Classes == 0) throw new ArgumentException(Conditioning.NotConditional);
            labels = value;
        }
    }

    /// <summary>Refuses an input of the wrong shape with a clear message (nothing by default).</summary>
    protected virtual void CheckInput(Tensor x) { }

    public override Tensor forward(Tensor x) // (B, C, S, S) -> (B, C, S, S)
    {
        CheckInput(x);
        if (Classes == 0)
        {
            using var plain = Run(encoder, x, null);    // (B, 8c, 1, 1)
            return Run(decoder, plain, null);
        }
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var y = LabelsFor(x);                           // (B)
        var isNull = y.eq(scalars.Of((long)NullLabel)); // (B) bool
        // rows with the null label; counted only when some part has a copy for the classes
        long nulls = label_encoder is null && label_decoder is null ? 0 : isNull.sum().item<long>();
        var code = ByLabel(encoder, label_encoder, x, null, isNull, nulls);              // (B, 8c, 1, 1)
        // (B, 1): each image's row gain, the null class's apart
        var gain = full_like(y, scalars.Of(TableGain), dtype: code.dtype)
            .masked_fill(isNull, scalars.Of(NullRowGain)).unsqueeze(1);
        var conditioned = code + label_code!.forward(y).mul(gain).unsqueeze(-1).unsqueeze(-1); // (B, 8c, 1, 1)
        if (label_mlp_in is not null) conditioned = conditioned + CodeShift(code, y, isNull);
        return ByLabel(decoder, label_decoder, conditioned, label_norm?.forward(y).mul(gain), isNull, nulls)
            .MoveToOuterDisposeScope();
    }

    /// <summary>The null rows through the network's <paramref name="part"/>, the others through the classes' own
    /// <paramref name="copy"/> (all through the part without one). Each runs only when some row needs it (an
    /// adapter's training has no null rows, generation without a class no others); a mixed batch runs both on every
    /// row, which is right only in eval mode, where no BatchNorm mixes rows (hence <c>--class-encoder</c> and
    /// <c>--class-decoder</c> only with <c>--class-adapter</c>).</summary>
    /// <param name="isNull">(B) bool: the rows with the null label, <paramref name="nulls"/> of them</param>
    private Tensor ByLabel(Sequential part, Sequential? copy, Tensor x, Tensor? norms, Tensor isNull, long nulls)
    {
        if (copy is null || nulls == isNull.shape[0]) return Run(part, x, norms);
        if (nulls == 0) return Run(copy, x, norms);
        return where(isNull.view(-1, 1, 1, 1), Run(part, x, norms), Run(copy, x, norms));
    }

    /// <summary>The code's shift by label, (B, 8c, 1, 1): a two-layer network of the code and the label's one-hot,
    /// zero on the null label's rows.</summary>
    private Tensor CodeShift(Tensor code, Tensor y, Tensor isNull)
    {
        var onehot = functional.one_hot(y, Classes + 1).to(code.dtype);                     // (B, Classes + 1)
        var input = cat([code.flatten(1), onehot], 1);                                       // (B, 8c + Classes + 1)
        var shift = label_mlp_out!.forward(functional.relu(label_mlp_in!.forward(input)));   // (B, 8c)
        var classed = isNull.logical_not().to(code.dtype).unsqueeze(1);                     // (B, 1), 0 on null rows
        return (shift * classed).view(code.shape);                                           // (B, 8c, 1, 1)
    }

    /// <summary>(B) int64 labels on x's device: the set ones, checked, or the null label.</summary>
    private Tensor LabelsFor(Tensor x)
    {
        long batch = x.shape[0];
        if (labels is null) return Conditioning.Same(NullLabel, batch, x.device);
        if (labels.dim() != 1 || labels.shape[0] != batch)
            throw new ArgumentException($"{labels.shape.FirstOrDefault()} labels for a batch of {batch} images");
        return labels.to(ScalarType.Int64).to(x.device);
    }

    /// <param name="norms">(B, 2·Σ norm widths): per image, γ and β of every decoder normalisation; null: none
    /// </param>
    private Tensor Run(Sequential layers, Tensor x, Tensor? norms)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, layer) in layers.named_children())
        {
            x = PointLayersAsMatmul switch
            {
                // (B, 8c·k·k) @ (8c·k·k, 8c): a k×k convolution of a k×k map
                true when name == "conv5" && layer is Conv2d conv
                        && x.shape[2] == conv.weight!.shape[2] && x.shape[3] == conv.weight.shape[3] =>
                    x.flatten(1).matmul(conv.weight.flatten(1).t()).view(x.shape[0], -1, 1, 1),
                // (B, 8c) @ (8c, c'·k·k): a k×k transposed convolution of a 1×1 map
                true when name == "deconv1" && layer is ConvTranspose2d deconv && x.shape[2] == 1 && x.shape[3] == 1 =>
                    x.flatten(1).matmul(deconv.weight!.flatten(1))
                        .view(x.shape[0], -1, deconv.weight.shape[2], deconv.weight.shape[3]),
                _ => LayerForward.Apply(layer, x), // convolutions checked on this CPU; no finalizer-owned Scalars
            };
            if (norms is not null && normSlices.TryGetValue(name, out var slice))
            {
                // (B, F, 1, 1) each
                var gamma = norms.narrow(1, slice.Offset, slice.Features).unsqueeze(-1).unsqueeze(-1);
                var beta = norms.narrow(1, slice.Offset + slice.Features, slice.Features).unsqueeze(-1).unsqueeze(-1);
                x = x + x * gamma + beta;                                                   // h·(1 + γ_y) + β_y
            }
        }
        return x.MoveToOuterDisposeScope();
    }
}
