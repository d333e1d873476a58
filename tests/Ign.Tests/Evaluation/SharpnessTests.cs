using Ign.Evaluation;
using static TorchSharp.torch;

namespace Ign.Tests.Evaluation;

public class SharpnessTests
{
    [Fact]
    public void A_checkerboard_is_all_fine_detail_and_a_constant_image_has_none()
    {
        var rows = arange(28, dtype: float64).view(28, 1);
        var cols = arange(28, dtype: float64).view(1, 28);
        var checkerboard = ((rows + cols).remainder(2) * 2 - 1).view(1, 1, 28, 28); // ±1, 0.5 cycles per pixel

        Assert.Equal(1.0, Sharpness.HighFrequencyShare(checkerboard), 9);
        Assert.Equal(0.0, Sharpness.HighFrequencyShare(full(2, 3, 28, 28, 0.7, dtype: float64)));
    }

    [Fact]
    public void A_slow_wave_has_no_fine_detail()
    {
        var wave = cos(arange(28, dtype: float64) * (2 * Math.PI / 28)).view(1, 1, 1, 28).expand(1, 1, 28, 28);

        Assert.Equal(0.0, Sharpness.HighFrequencyShare(wave), 9);
    }

    [Fact]
    public void White_noise_has_the_share_of_the_frequency_plane_past_the_cutoff_and_blur_takes_most_of_it()
    {
        using var generator = new Generator(5);
        var noise = randn(64, 1, 32, 32, dtype: float64, generator: generator);
        var blurred = nn.functional.avg_pool2d(noise, 3, stride: 1, padding: 1);

        double share = Sharpness.HighFrequencyShare(noise);
        // the unit frequency square outside the disc of radius 0.25: 1 − π/16
        Assert.Equal(1 - Math.PI / 16, share, 1e-2);
        Assert.True(Sharpness.HighFrequencyShare(blurred) < share / 2);
        Assert.Equal(0.5, Sharpness.Relative(share / 2, share)!.Value, 12);
        Assert.Null(Sharpness.Relative(share, 0));
    }
}
