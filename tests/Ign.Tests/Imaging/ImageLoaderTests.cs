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

    [Fact]
    public void A_corrupt_file_with_a_known_header_gives_a_clear_error()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageLoader.FromBytes("GIF89a not really"u8.ToArray(), 1, 28));
        Assert.Contains("upload", e.Message);
    }

    [Fact]
    public void A_header_claiming_a_huge_picture_is_refused_before_decoding()
    {
        // a PNG signature and an IHDR chunk for 50 000 × 50 000 pixels, and nothing else
        var png = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' };
        byte[] ihdr = [0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50, 8, 2, 0, 0, 0];
        png.AddRange(ihdr);
        uint crc = Crc32([.. "IHDR"u8.ToArray(), .. ihdr]);
        png.AddRange([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
        var e = Assert.Throws<InvalidDataException>(() => ImageLoader.FromBytes([.. png], 1, 28));
        Assert.Contains("megapixels", e.Message);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void Undecodable_bytes_give_a_clear_error()
    {
        string path = Path.Combine(TestData.TempDir(), "fake.png");
        File.WriteAllText(path, "not an image");
        var e = Assert.Throws<InvalidDataException>(() => ImageLoader.Load(path, 1, 28));
        Assert.Contains("not an image", e.Message);
    }
}
