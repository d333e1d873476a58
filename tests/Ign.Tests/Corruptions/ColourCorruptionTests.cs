using Ign.Corruptions;
using static TorchSharp.torch;

namespace Ign.Tests.Corruptions;

/// <summary>Every corruption on colour 64×64 images, and the colour-only ones in detail.</summary>
public class ColourCorruptionTests
{
    private static Tensor Colour(int n = 4)
    {
        manual_seed(12);
        return rand(n, 3, 64, 64) * 1.6f - 0.8f; // (n, 3, 64, 64) inside [-1, 1], away from the clamp
    }

    public static TheoryData<string> AllKinds => ["noise:0.3", "saltpepper:0.2", "occlude:size=20,fill=1", "lowres:16", "blur:1.5", "sketch:0.3", "invert",
                                                   "grayscale", "jitter", "jitter:brightness=0.5,contrast=0,saturation=1,hue=0.5", "grayscale+noise:0.1", "jitter+occlude:8"];

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Keeps_shape_and_range_changes_the_image_and_repeats_under_a_seed(string spec)
    {
        var x = Colour();
        var c = CorruptionParser.Parse(spec);
        var y = c.Apply(x, new Generator(3));
        Assert.Equal(x.shape, y.shape);
        Assert.True(y.min().item<float>() >= -1 - 1e-6 && y.max().item<float>() <= 1 + 1e-6);
        Assert.False(y.Same(x), $"{spec} changed nothing");
        Assert.True(y.Same(c.Apply(x, new Generator(3))));
        Assert.True(y.Same(CorruptionParser.Parse(c.Spec).Apply(x, new Generator(3))), $"{c.Spec} does not parse back to the same corruption");
    }

    [Fact]
    public void Grayscale_is_the_BT601_luminance_in_all_three_channels()
    {
        var red = cat([full(1, 1, 4, 4, 1f), full(1, 2, 4, 4, -1f)], 1);   // pure red in [-1, 1]
        var y = new Grayscale().Apply(red);
        Assert.True((y - (0.299f - 0.587f - 0.114f)).abs().max().item<float>() < 1e-6);
        var g = new Grayscale().Apply(Colour());
        Assert.True(g[.., 0].Same(g[.., 1]) && g[.., 1].Same(g[.., 2]));
    }

    [Fact]
    public void Jitter_of_zero_strength_changes_nothing()
    {
        var x = Colour();
        Assert.True((new ColourJitter(0, 0, 0, 0).Apply(x, new Generator(1)) - x).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void A_hue_turn_keeps_each_pixels_luma_and_moves_its_colour()
    {
        var x = Colour() * 0.3f;                                                              // mid-range colours: no clamping
        var y = new ColourJitter(0, 0, 0, 0.5).Apply(x, new Generator(2));
        var weights = tensor(new float[] { 0.299f, 0.587f, 0.114f }).view(1, 3, 1, 1);
        Assert.True(((x * weights).sum([1]) - (y * weights).sum([1])).abs().max().item<float>() < 1e-4);
        Assert.True((y - x).abs().mean().item<float>() > 1e-3);
    }

    [Fact]
    public void Jitter_draws_its_factors_per_image()
    {
        var one = Colour(1);
        var x = one.expand(6, 3, 64, 64).contiguous();
        var y = new ColourJitter(0.4, 0, 0, 0).Apply(x, new Generator(4));
        var means = y.mean([1, 2, 3]);
        Assert.True((means.max() - means.min()).item<float>() > 0.01);                      // six copies, six brightnesses
    }

    [Fact]
    public void Jitter_on_grey_images_changes_brightness_and_contrast_only()
    {
        manual_seed(5);
        var grey = rand(4, 1, 28, 28) - 0.5f;
        Assert.True((new ColourJitter(0, 0, 1, 0.5).Apply(grey, new Generator(1)) - grey).abs().max().item<float>() < 1e-5);
        Assert.Equal(grey.shape, new ColourJitter(0.3, 0.3, 0.3, 0.1).Apply(grey, new Generator(1)).shape);
    }

    [Fact]
    public void Salt_and_pepper_colours_whole_pixels()
    {
        var y = new SaltAndPepper(0.3).Apply(Colour(), new Generator(6));
        var hit = y.abs().eq(1).all(1);                                                       // (B, H, W): every channel ±1
        Assert.True(hit.to(float32).mean().item<float>() > 0.2);
        Assert.True((y[.., 0] - y[.., 2]).abs().masked_select(hit).max().item<float>() == 0);
    }

    [Fact]
    public void Jitter_parameters_are_checked()
    {
        Assert.Contains("hue must be between 0 and 0.5", Assert.Throws<ArgumentException>(() => CorruptionParser.Parse("jitter:hue=0.7")).Message);
        Assert.Contains("jitter:brightness=0.2", CorruptionParser.Help);
    }
}
