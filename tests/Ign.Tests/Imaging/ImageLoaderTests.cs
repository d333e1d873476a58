using Ign.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace Ign.Tests.Imaging;

public class ImageLoaderTests
{
    /// <summary>A w×h PNG: background colour with a filled rectangle of the stroke colour in the middle third.</summary>
    private static string Png(int w, int h, SKColor background, SKColor stroke)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                bitmap.SetPixel(x, y, x > w / 3 && x < 2 * w / 3 && y > h / 3 && y < 2 * h / 3 ? stroke : background);
        string path = Path.Combine(TestData.TempDir(), "picture.png");
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    [Fact]
    public void A_black_on_white_photo_of_any_size_becomes_a_white_on_black_28x28_digit()
    {
        var x = ImageLoader.Load(Png(90, 120, SKColors.White, SKColors.Black), channels: 1, size: 28);
        Assert.Equal([1, 1, 28, 28], x.shape);
        Assert.True(x[0, 0, 0, 0].item<float>() < -0.99);   // background now black
        Assert.True(x[0, 0, 14, 14].item<float>() > 0.99);  // stroke now white
    }

    [Fact]
    public void Inversion_can_be_switched_off()
    {
        var x = ImageLoader.Load(Png(40, 40, SKColors.White, SKColors.Black), 1, 28, new ImageLoadOptions { Invert = InvertMode.No });
        Assert.True(x[0, 0, 0, 0].item<float>() > 0.99);
    }

    [Fact]
    public void White_strokes_on_a_transparent_background_stay_visible()
    {
        var x = ImageLoader.Load(Png(64, 64, SKColors.Transparent, SKColors.White), 1, 28);
        Assert.True(x[0, 0, 0, 0].item<float>() < -0.99);
        Assert.True(x[0, 0, 14, 14].item<float>() > 0.99);
    }

    [Fact]
    public void Colour_models_get_three_channels_and_keep_the_colours()
    {
        var x = ImageLoader.Load(Png(100, 50, SKColors.White, SKColors.Red), channels: 3, size: 64, new ImageLoadOptions { Margin = 0 });
        Assert.Equal([1, 3, 64, 64], x.shape);
        Assert.True(x[0, 0, 32, 32].item<float>() > 0.99 && x[0, 1, 32, 32].item<float>() < -0.99); // red stays red
    }

    /// <summary>A GIF header for a w×h picture followed by garbage instead of image data.</summary>
    private static byte[] CorruptGif(int w, int h) =>
        [.. "GIF89a"u8.ToArray(), (byte)w, (byte)(w >> 8), (byte)h, (byte)(h >> 8), .. "garbage, not image data"u8.ToArray()];

    [Fact]
    public void A_header_claiming_a_huge_picture_is_refused_before_decoding()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageLoader.FromBytes(CorruptGif(50_000, 50_000), 1, 28));
        Assert.Contains("megapixels", e.Message);
    }

    [Fact]
    public void A_corrupt_small_picture_is_refused_or_decoded_never_a_crash()
    {
        // SkiaSharp may decode what it can of a truncated GIF or throw; either way only our one-line error may escape
        try { Assert.Equal([1, 1, 28, 28], ImageLoader.FromBytes(CorruptGif(10, 10), 1, 28).shape); }
        catch (InvalidDataException e) { Assert.Contains("upload", e.Message); }
    }

    [Fact]
    public void Undecodable_bytes_give_a_clear_error()
    {
        string path = Path.Combine(TestData.TempDir(), "fake.png");
        File.WriteAllText(path, "not an image");
        var e = Assert.Throws<InvalidDataException>(() => ImageLoader.Load(path, 1, 28));
        Assert.Contains("not an image", e.Message);
    }

    [Fact]
    public void Half_transparent_pixels_keep_their_colour_over_the_background()
    {
        string path = Ign.Tests.Data.PictureFiles.Solid(Path.Combine(TestData.TempDir(), "half.png"), 4, 4, new SKColor(255, 0, 0, 128));
        var x = ImageLoader.Load(path, 3, 4, new ImageLoadOptions { Invert = InvertMode.No, Margin = 0 });
        Assert.True(x[0, 0, 1, 1].item<float>() > 0.99);                   // red over white stays fully red
        Assert.InRange(x[0, 1, 1, 1].item<float>(), -0.01f, 0.01f);          // green: half of the white behind
    }
}
