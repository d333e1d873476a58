using Ign.Data;

namespace Ign.Tests.Data;

public class IdxImagesTests
{
    private static ImageDataset Random(int channels, int count = 5)
    {
        var pixels = new byte[count * channels * 6 * 4];
        new Random(channels).NextBytes(pixels);
        return new ImageDataset("r", pixels, count, channels, 6, 4);
    }

    [Theory]
    [InlineData(1, "grey.idx")]
    [InlineData(3, "colour.idx.gz")]
    public void Images_round_trip_through_an_idx_file(int channels, string name)
    {
        var images = Random(channels);
        string path = Path.Combine(TestData.TempDir(), name);
        IdxImages.WriteFile(path, images);
        var read = IdxFile.Read(path);
        Assert.Equal(channels == 1 ? [5, 6, 4] : [5, 6, 4, 3], read.Shape);
        Assert.Equal(images.Pixels[1], read.Values[channels == 1 ? 1 : 3]);                  // (H, W, C) on disk: pixel 1 of channel 0
        using var stream = new MemoryStream(IdxFile.ReadDecompressed(path));
        var back = IdxImages.Read(stream, path, "back");
        Assert.Equal((5, channels, 6, 4), (back.Count, back.Channels, back.Height, back.Width));
        Assert.Equal(images.Pixels, back.Pixels);
    }

    [Fact]
    public void A_truncated_stream_is_one_line_naming_it()
    {
        var bytes = new MemoryStream();
        IdxImages.Write(bytes, Random(3));
        using var cut = new MemoryStream(bytes.ToArray()[..100]);
        var e = Assert.Throws<InvalidDataException>(() => IdxImages.Read(cut, "cut.idx", "x"));
        Assert.StartsWith("cut.idx: truncated", e.Message);
    }

    [Fact]
    public void Every_tenth_image_is_held_out()
    {
        var all = new ImageDataset("all", Enumerable.Range(0, 25).Select(i => (byte)i).ToArray(), 25, 1, 1, 1);
        var test = HoldOut.Select(all, Split.Test);
        var train = HoldOut.Select(all, Split.Train);
        Assert.Equal([9, 19], test.Pixels);
        Assert.Equal(23, train.Count);
        Assert.DoesNotContain((byte)9, train.Pixels);
        Assert.Equal("all/test", test.Name);
    }
}
