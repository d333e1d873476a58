using Ign.Corruptions;
using static TorchSharp.torch;

namespace Ign.Tests.Corruptions;

public class CorruptionTests
{
    private static Tensor Digits(int channels = 1)
    {
        manual_seed(11);
        return rand(4, channels, 28, 28) * 2 - 1; // (4, C, 28, 28) in [-1, 1]
    }

    public static TheoryData<string> AllKinds => ["noise:0.3", "saltpepper:0.2", "occlude:size=10,fill=1", "lowres:7", "blur:1.5", "sketch:0.3", "invert", "noise:0.1+occlude:5"];

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Keeps_shape_and_range(string spec)
    {
        var x = Digits();
        var y = CorruptionParser.Parse(spec).Apply(x, new Generator(3));
        Assert.Equal(x.shape, y.shape);
        Assert.True(y.min().item<float>() >= -1 - 1e-6 && y.max().item<float>() <= 1 + 1e-6);
        Assert.False(y.Same(x), $"{spec} changed nothing");
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void The_same_seed_gives_the_same_corruption(string spec)
    {
        var x = Digits();
        var c = CorruptionParser.Parse(spec);
        Assert.True(c.Apply(x, new Generator(5)).Same(c.Apply(x, new Generator(5))));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void The_canonical_spec_parses_back_to_the_same_corruption(string spec)
    {
        var c = CorruptionParser.Parse(spec);
        Assert.Equal(c.Spec, CorruptionParser.Parse(c.Spec).Spec);
        var x = Digits();
        Assert.True(c.Apply(x, new Generator(9)).Same(CorruptionParser.Parse(c.Spec).Apply(x, new Generator(9))));
    }

    [Fact]
    public void Noise_has_the_asked_strength_before_clamping()
    {
        var x = zeros(64, 1, 28, 28);
        var y = new GaussianNoise(0.3).Apply(x, new Generator(1));
        Assert.Equal(0.3, y.std().item<float>(), 2);
    }

    [Fact]
    public void Salt_and_pepper_hits_the_asked_fraction_of_pixels_with_black_or_white()
    {
        var x = zeros(64, 1, 28, 28);
        var y = new SaltAndPepper(0.2).Apply(x, new Generator(1));
        var changed = y.ne(0);
        Assert.Equal(0.2, changed.to(float32).mean().item<float>(), 2);
        Assert.True(y.masked_select(changed).abs().eq(1).all().item<bool>());
    }

    [Fact]
    public void An_occlusion_at_a_given_place_fills_exactly_that_square()
    {
        var x = full(2, 1, 28, 28, -1f);
        var y = new Occlusion(Size: 5, Fill: 1, Left: 3, Top: 7).Apply(x);
        Assert.Equal(2 * 25, y.eq(1).sum().item<long>());
        Assert.True(y[0, 0, 7, 3].item<float>() == 1 && y[0, 0, 11, 7].item<float>() == 1 && y[0, 0, 12, 7].item<float>() == -1);
    }

    [Fact]
    public void Random_occlusions_land_in_different_places_per_image()
    {
        var x = full(16, 1, 28, 28, -1f);
        var y = new Occlusion(6, 1).Apply(x, new Generator(2));
        Assert.True(y.eq(1).sum([1, 2, 3]).eq(36).all().item<bool>()); // whole square inside every image
        Assert.False(y[0].Same(y[1]) && y[1].Same(y[2]));
    }

    [Fact]
    public void Blur_and_low_resolution_keep_a_constant_image_and_smooth_an_edge()
    {
        var flat = full(1, 1, 28, 28, 0.25f);
        Assert.True((new Blur(1.0).Apply(flat) - flat).abs().max().item<float>() < 1e-5);
        Assert.True((new LowResolution(7).Apply(flat) - flat).abs().max().item<float>() < 1e-5);
        var edge = cat([full(1, 1, 28, 14, -1f), full(1, 1, 28, 14, 1f)], 3);
        var blurred = new Blur(1.0).Apply(edge);
        Assert.True(blurred[0, 0, 10, 13].item<float>() > -1 && blurred[0, 0, 10, 14].item<float>() < 1);
    }

    [Fact]
    public void A_sketch_marks_the_edges_of_a_square_and_not_its_inside()
    {
        var x = full(1, 1, 28, 28, -1f);
        x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(8, 20), TensorIndex.Slice(8, 20)] = ones(1, 1, 12, 12);
        var s = new Sketch(0.3).Apply(x);
        Assert.Equal(1f, s[0, 0, 8, 14].item<float>());   // on the border
        Assert.Equal(-1f, s[0, 0, 14, 14].item<float>()); // inside
        Assert.Equal(-1f, s[0, 0, 2, 2].item<float>());   // outside
    }

    [Fact]
    public void Grayscale_gives_equal_channels_and_needs_colour()
    {
        var y = new Grayscale().Apply(Digits(3));
        Assert.True(y[TensorIndex.Colon, 0].Same(y[TensorIndex.Colon, 2]));
        Assert.Throws<ArgumentException>(() => new Grayscale().Apply(Digits(1)));
    }

    [Fact]
    public void Inversion_swaps_black_and_white() =>
        Assert.True(new Inversion().Apply(Digits()).Same(Digits().neg()));

    [Theory]
    [InlineData("", "empty corruption")]
    [InlineData("smudge", "unknown corruption 'smudge'")]
    [InlineData("noise:loud", "sigma must be a number")]
    [InlineData("noise:-1", "sigma must be between 0 and 10")]
    [InlineData("occlude:size=2.5", "size must be a whole number")]
    [InlineData("occlude:colour=3", "unknown parameter 'colour=3'")]
    [InlineData("invert:1", "takes no parameters")]
    [InlineData("saltpepper:1.5", "amount must be between 0 and 1")]
    public void Bad_specs_fail_with_a_one_line_message(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => CorruptionParser.Parse(spec));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_list_of_kinds_splits_at_commas_that_start_a_kind_not_at_those_between_parameters()
    {
        Assert.Equal(["lowres:size=7", "sketch:threshold=0.3"],
            CorruptionParser.ParseList("lowres, sketch").Select(c => c.Spec));
        Assert.Equal(["occlude:size=8,fill=1,x=-1,y=-1", "blur:sigma=2"],
            CorruptionParser.ParseList("occlude:size=8,fill=1,blur:sigma=2").Select(c => c.Spec));
        Assert.Empty(CorruptionParser.ParseList(""));
        Assert.Contains("unknown corruption 'fog'",
            Assert.Throws<ArgumentException>(() => CorruptionParser.ParseList("lowres,fog")).Message);
        var config = Ign.Training.TrainConfig.FromPreset("tiny") with { ImageKinds = "lowres,fog" };
        Assert.Contains("unknown corruption 'fog'", Assert.Throws<ArgumentException>(() => config.Validate()).Message);
    }
}
