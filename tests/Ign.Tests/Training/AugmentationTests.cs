using Ign.Objective;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

/// <summary>Random deformations of the real images (--augment-*): each does what it says, within its bound, and a run
/// with them is reproducible and resumes exactly.</summary>
public class AugmentationTests
{
    private const int Batch = 64;

    /// <summary>(Batch, 1, 28, 28) copies of one image in [-1, 1] whose ink (+1) is where <paramref name="ink"/> says.
    /// </summary>
    private static Tensor Copies(Func<int, int, bool> ink)
    {
        var image = new float[28 * 28];
        for (int r = 0; r < 28; r++)
            for (int c = 0; c < 28; c++) image[r * 28 + c] = ink(r, c) ? 1f : -1f;
        return tensor(image).view(1, 1, 28, 28).expand(Batch, 1, 28, 28).contiguous();
    }

    /// <summary>Per image: total ink ((x + 1) / 2 summed), and its centre of mass (row, column).</summary>
    private static (float[] Ink, float[] Row, float[] Col) Moments(Tensor x)
    {
        var ink = ((x + 1) / 2).view(Batch, 28, 28);
        var total = ink.sum([1, 2]);
        var rows = arange(28, float32).view(1, 28, 1);
        var cols = arange(28, float32).view(1, 1, 28);
        var row = (ink * rows).sum([1, 2]) / total;
        var col = (ink * cols).sum([1, 2]) / total;
        return (total.data<float>().ToArray(), row.data<float>().ToArray(), col.data<float>().ToArray());
    }

    private static Tensor Augment(Augmentation augmentation, Tensor x, int seed = 5)
    {
        manual_seed(seed);
        return augmentation.Apply(x);
    }

    private static readonly Tensor Blob = Copies((r, c) => Math.Abs(r - 13.5) < 3 && Math.Abs(c - 13.5) < 3);

    [Fact]
    public void Off_returns_the_images_untouched_and_draws_nothing()
    {
        manual_seed(1);
        var before = get_rng_state();
        Assert.Same(Blob, new Augmentation().Apply(Blob));
        Assert.True(before.Same(get_rng_state()));
    }

    [Fact]
    public void A_shift_moves_each_image_by_at_most_the_shift_and_keeps_its_ink()
    {
        var (ink0, row0, col0) = Moments(Blob);
        var (ink, row, col) = Moments(Augment(new Augmentation { Shift = 3 }, Blob));
        for (int i = 0; i < Batch; i++)
        {
            Assert.InRange(row[i] - row0[i], -3.01f, 3.01f);
            Assert.InRange(col[i] - col0[i], -3.01f, 3.01f);
            Assert.Equal(ink0[i], ink[i], 0.01 * ink0[i]);    // bilinear resampling of a translation keeps the sum
        }
        Assert.True(row.Zip(row0).Average(p => Math.Abs(p.First - p.Second)) > 1, "the images did not move");
        Assert.True(col.Zip(col0).Average(p => Math.Abs(p.First - p.Second)) > 1, "the images did not move");
        Assert.Contains(row.Zip(row0), p => p.First < p.Second);
        Assert.Contains(row.Zip(row0), p => p.First > p.Second);
    }

    [Fact]
    public void A_rotation_turns_a_horizontal_bar_about_the_centre()
    {
        var bar = Copies((r, c) => Math.Abs(r - 13.5) < 1 && Math.Abs(c - 13.5) < 10);
        var turned = Augment(new Augmentation { Rotate = 90 }, bar);
        var (_, row, col) = Moments(turned);
        Assert.All(row.Concat(col), m => Assert.InRange(m, 12.5f, 14.5f)); // turned about the centre, not moved
        // the vertical spread of ink: about 0.25 px² for the flat bar, up to 10² / 3 for an upright one
        var ink = ((turned + 1) / 2).view(Batch, 28, 28);
        var offset = (arange(28, float32) - 13.5).pow(2).view(1, 28, 1);
        var spread = ((ink * offset).sum([1, 2]) / ink.sum([1, 2])).data<float>().ToArray();
        Assert.True(spread.Count(s => s > 10) > Batch / 3, "most bars should be turned well away from flat");
        Assert.Contains(spread, s => s < 5);
        // in degrees: 10° lifts the bar's ends by at most 10·sin 10° ≈ 1.7 px, a spread of about 1.3 px²
        var slight = ((Augment(new Augmentation { Rotate = 10 }, bar) + 1) / 2).view(Batch, 28, 28);
        var slightSpread = ((slight * offset).sum([1, 2]) / slight.sum([1, 2])).data<float>().ToArray();
        Assert.All(slightSpread, s => Assert.InRange(s, 0f, 2f));
        Assert.True(slightSpread.Max() > 0.6f, "a 10° rotation should tilt some bars");
    }

    [Fact]
    public void A_scale_resizes_within_its_bound_both_ways()
    {
        var disk = Copies((r, c) => Math.Pow(r - 13.5, 2) + Math.Pow(c - 13.5, 2) < 36);
        var (ink0, _, _) = Moments(disk);
        var (ink, _, _) = Moments(Augment(new Augmentation { Scale = 0.3f }, disk));
        var ratio = ink.Zip(ink0, (a, b) => a / b).ToArray();
        Assert.All(ratio, q => Assert.InRange(q, 0.7f * 0.7f - 0.05f, 1.3f * 1.3f + 0.05f)); // area goes with s²
        Assert.Contains(ratio, q => q < 0.85f);
        Assert.Contains(ratio, q => q > 1.15f);
    }

    [Fact]
    public void A_stroke_change_thickens_or_thins_a_line_and_stays_in_range()
    {
        var line = Copies((r, c) => c == 14 && r is > 4 and < 24);
        var changed = Augment(new Augmentation { Stroke = 1 }, line);
        var (ink0, _, _) = Moments(line);
        var (ink, _, _) = Moments(changed);
        Assert.Contains(ink.Zip(ink0), p => p.First > 1.5 * p.Second);     // toward the dilation: up to three wide
        Assert.Contains(ink.Zip(ink0), p => p.First < 0.5 * p.Second);     // toward the erosion: a 1-pixel line fades
        Assert.True(changed.min().item<float>() >= -1 && changed.max().item<float>() <= 1);
        Assert.Equal(-1f, changed[.., 0, 14, 5].max().item<float>());   // two columns off the line: background
    }

    [Fact]
    public void The_same_seed_deforms_the_same_way()
    {
        var all = new Augmentation { Shift = 2, Rotate = 15, Scale = 0.1f, Stroke = 0.5f };
        Assert.True(Augment(all, Blob, seed: 9).Same(Augment(all, Blob, seed: 9)));
        Assert.False(Augment(all, Blob, seed: 9).Same(Augment(all, Blob, seed: 10)));
    }

    [Theory]
    [InlineData(-1f, 0f, 0f, 0f, "--augment-shift")]
    [InlineData(0f, 190f, 0f, 0f, "--augment-rotate")]
    [InlineData(0f, 0f, 1f, 0f, "--augment-scale")]
    [InlineData(0f, 0f, 0f, 1.5f, "--augment-stroke")]
    public void Out_of_range_values_are_refused_naming_the_option(float shift, float rotate, float scale, float stroke,
                                                                   string option)
    {
        var config = new TrainConfig { Augment = new Augmentation { Shift = shift, Rotate = rotate, Scale = scale, Stroke = stroke } };
        Assert.Contains(option, Assert.Throws<ArgumentException>(config.Validate).Message);
    }

    private static TrainConfig Tiny(Augmentation augment) => TrainConfig.FromPreset("seed002") with
    {
        Preset = "test", BaseWidth = 4, BatchSize = 8, MaxSteps = 4, SampleCount = 4, SampleEvery = 1000,
        CheckpointEvery = 1000, Seed = 7, Objective = ObjectiveConfig.Paper, Augment = augment,
    };

    [Fact]
    public void A_run_with_augmentation_resumes_exactly_and_trains_otherwise_than_without()
    {
        var data = TestData.RandomImages();
        var augment = new Augmentation { Shift = 2, Rotate = 10, Scale = 0.1f, Stroke = 0.5f };
        using var straight = new Trainer(Tiny(augment), data, TestData.TempDir());
        straight.Run();

        string splitDir = TestData.TempDir();
        using (var first = new Trainer(Tiny(augment) with { MaxSteps = 2 }, data, splitDir)) first.Run();
        using var checkpoint = Checkpoint.Load(Path.Combine(splitDir, "checkpoint.ckpt"));
        using var resumed = new Trainer(Tiny(augment), data, splitDir, checkpoint);
        resumed.Run();
        using var plain = new Trainer(Tiny(new Augmentation()), data, TestData.TempDir());
        plain.Run();

        var expected = straight.SamplingNetwork.state_dict();
        foreach (var (name, value) in resumed.SamplingNetwork.state_dict())
            Assert.True(value.Same(expected[name]), $"{name} differs between a straight and a resumed run");
        var other = plain.SamplingNetwork.state_dict();
        Assert.Contains(resumed.SamplingNetwork.named_parameters(), p => !p.parameter.Same(other[p.name]));
    }
}
