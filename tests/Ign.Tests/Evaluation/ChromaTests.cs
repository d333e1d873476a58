using Ign.Evaluation;
using static TorchSharp.torch;

namespace Ign.Tests.Evaluation;

public class ChromaTests
{
    [Fact]
    public void Greys_have_no_chroma_and_pure_red_has_the_textbook_values()
    {
        var grey = full(2, 3, 4, 4, 0.3, dtype: float64);
        var red = stack([ones(4, 4), -ones(4, 4), -ones(4, 4)]).unsqueeze(0).to(float64); // (1, 3, 4, 4), RGB (1, 0, 0)

        Assert.Equal(0.0, Chroma.UV(grey).abs().max().item<double>(), 12);
        var uv = Chroma.UV(red);
        Assert.Equal([1L, 2, 4, 4], uv.shape);
        Assert.Equal(-0.492 * 0.299, uv[0, 0, 0, 0].item<double>(), 12);   // U = 0.492 (B − Y), Y = 0.299
        Assert.Equal(0.877 * 0.701, uv[0, 1, 0, 0].item<double>(), 12);    // V = 0.877 (R − Y)
    }

    [Fact]
    public void Brightness_errors_do_not_count_and_lost_colour_does()
    {
        using var generator = new Generator(2);
        var x = rand(3, 3, 8, 8, dtype: float64, generator: generator) * 2 - 1;
        var brighter = x + 0.2;                                                 // the same colours, lighter
        var grey = (x * tensor(new[] { 0.299, 0.587, 0.114 }, float64).view(1, 3, 1, 1)).sum(1, keepdim: true)
            .expand(3, 3, 8, 8);                                                 // Y in every channel

        Assert.Equal(0.0, Chroma.Error(brighter, x), 12);
        Assert.Equal(Chroma.UV(x).abs().mean().item<double>(), Chroma.Error(grey, x), 12);
        Assert.Throws<ArgumentException>(() => Chroma.UV(x.narrow(1, 0, 1)));
    }
}
