using Ign.Data;

namespace Ign.Tests.Data;

public class EmojiSetTests
{
    [Fact]
    public void The_embedded_emoji_load_as_colour_64x64_images_split_nine_to_one()
    {
        var train = EmojiSet.LoadEmbeddedEmoji(Split.Train);
        var test = EmojiSet.LoadEmbeddedEmoji(Split.Test);
        Assert.Equal(EmojiSet.Count, train.Count + test.Count);
        Assert.Equal(378, test.Count);
        Assert.Equal([train.Count, 3L, 64, 64], train.First().shape);
        Assert.Equal([4L, 3, 64, 64], test.First(4).shape);
        // composited on white: the corners of nearly every emoji are white
        int white = 0;
        for (int i = 0; i < train.Count; i++)
            if (Enumerable.Range(0, 3).All(c => train.Pixels[i * train.PixelsPerImage + c * 64 * 64] == 255)) white++;
        Assert.True(white > 0.9 * train.Count, $"{white} of {train.Count} emoji have a white corner");
    }
}
