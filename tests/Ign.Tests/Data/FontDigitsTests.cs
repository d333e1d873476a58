using Ign.Data;

namespace Ign.Tests.Data;

public class FontDigitsTests
{
    [SkippableFact]
    public void Font_digits_are_placed_like_MNIST_s()
    {
        var set = FontDigits.Render();
        Skip.If(set.Count == 0, "no font installed (Debian: fonts-dejavu-core)");

        Assert.Equal(0, set.Count % 10);
        Assert.Equal(Enumerable.Range(0, set.Count).Select(i => (byte)(i % 10)), set.Labels!);
        for (int n = 0; n < set.Count; n++)
        {
            var image = set.Pixels.AsSpan(n * 784, 784);
            double mass = 0, mx = 0, my = 0;
            int left = 28, right = -1, top = 28, bottom = -1;
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++)
                {
                    double v = image[y * 28 + x];
                    if (v == 0) continue;
                    (mass, mx, my) = (mass + v, mx + v * x, my + v * y);
                    (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y),
                        Math.Max(bottom, y));
                }
            Assert.True(mass > 0, $"image {n} is empty");
            Assert.InRange(mx / mass, 13, 15);                           // centre of mass at the centre
            Assert.InRange(my / mass, 13, 15);
            Assert.InRange(Math.Max(right - left + 1, bottom - top + 1), 18, 22); // fitted to a 20×20 box
        }
    }
}
