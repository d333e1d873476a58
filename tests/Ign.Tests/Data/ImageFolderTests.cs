using Ign.Data;
using Ign.Imaging;
using SkiaSharp;

namespace Ign.Tests.Data;

public class ImageFolderTests
{
    /// <summary>
    /// a.png 100×60 red, c.jpg 70×90 blue, corrupt.png (a PNG signature and noise), d.png 30×30 fully transparent,
    /// empty.jpg (0 bytes), notes.txt, sub/b.png 40×40 8-bit grey: four readable pictures out of six.
    /// </summary>
    private static string MixedFolder()
    {
        string folder = Path.Combine(TestData.TempDir(), "pictures");
        PictureFiles.Solid(Path.Combine(folder, "a.png"), 100, 60, SKColors.Red);
        PictureFiles.Solid(Path.Combine(folder, "c.jpg"), 70, 90, SKColors.Blue, SKEncodedImageFormat.Jpeg);
        File.WriteAllBytes(Path.Combine(folder, "corrupt.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))]);
        PictureFiles.Solid(Path.Combine(folder, "d.png"), 30, 30, SKColors.Transparent);
        File.WriteAllBytes(Path.Combine(folder, "empty.jpg"), []);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a picture");
        PictureFiles.Write(Path.Combine(folder, "sub", "b.png"), 40, 40, (x, _) => new SKColor((byte)(x * 6), (byte)(x * 6), (byte)(x * 6)), colorType: SKColorType.Gray8);
        return folder;
    }

    private static byte Pixel(ImageDataset set, int image, int channel, int y, int x) =>
        set.Pixels[image * set.PixelsPerImage + channel * set.Height * set.Width + y * set.Width + x];

    [Fact]
    public void A_mixed_folder_gives_every_readable_picture_and_counts_the_unreadable_ones()
    {
        var result = ImageFolder.Load(MixedFolder(), 16);
        Assert.Equal(6, result.Found);
        Assert.Equal(2, result.Skipped);
        Assert.Equal(["a.png", "c.jpg", "d.png", "sub/b.png"], result.Files);
        var set = result.Images;
        Assert.Equal((4, 3, 16, 16), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal((255, 0, 0), (Pixel(set, 0, 0, 8, 8), Pixel(set, 0, 1, 8, 8), Pixel(set, 0, 2, 8, 8)));  // red PNG
        Assert.True(Pixel(set, 1, 2, 8, 8) > 230 && Pixel(set, 1, 0, 8, 8) < 25);                              // blue JPEG (lossy)
        Assert.True(set.Pixels.AsSpan(2 * set.PixelsPerImage, set.PixelsPerImage).ToArray().All(v => v == 255)); // transparent → white
        for (int x = 0; x < 16; x++) Assert.True(Pixel(set, 3, 0, 5, x) == Pixel(set, 3, 1, 5, x) && Pixel(set, 3, 1, 5, x) == Pixel(set, 3, 2, 5, x)); // grey stays grey
        Assert.True(Pixel(set, 3, 0, 5, 15) > Pixel(set, 3, 0, 5, 0));                                           // its ramp survives
        Assert.Contains("2 unreadable file(s) skipped", result.Summary());
        Assert.Contains(result.SkippedExamples, e => e.StartsWith("corrupt.png:") || e.StartsWith("empty.jpg:"));
    }

    [Fact]
    public void The_background_option_shows_through_transparency_and_one_channel_is_luma()
    {
        var set = ImageFolder.Load(MixedFolder(), 8, new ImageFolderOptions { Background = Background.Black, Channels = 1 }).Images;
        Assert.Equal(1, set.Channels);
        Assert.All(set.Pixels.AsSpan(2 * set.PixelsPerImage, set.PixelsPerImage).ToArray(), v => Assert.Equal(0, v)); // transparent → black
        Assert.Equal(76, Pixel(set, 0, 0, 4, 4));                                                                    // red's BT.601 luma: 0.299 · 255
    }

    [Fact]
    public void Half_transparent_pixels_are_composited_without_darkening()
    {
        string folder = Path.Combine(TestData.TempDir(), "alpha");
        PictureFiles.Solid(Path.Combine(folder, "half.png"), 4, 4, new SKColor(255, 0, 0, 128));
        var set = ImageFolder.Load(folder, 4).Images;
        Assert.Equal(255, Pixel(set, 0, 0, 1, 1));
        Assert.InRange((int)Pixel(set, 0, 1, 1, 1), 126, 128); // (1 − 128/255) · 255 of white behind
    }

    [Fact]
    public void Crop_pad_and_stretch_make_a_wide_picture_square_in_their_own_ways()
    {
        string folder = Path.Combine(TestData.TempDir(), "wide");
        // 60×20: red, green, blue thirds
        PictureFiles.Write(Path.Combine(folder, "thirds.png"), 60, 20, (x, _) => x < 20 ? SKColors.Red : x < 40 ? SKColors.Lime : SKColors.Blue);
        var crop = ImageFolder.Load(folder, 6, new ImageFolderOptions { Fit = FitMode.Crop }).Images;
        var pad = ImageFolder.Load(folder, 6, new ImageFolderOptions { Fit = FitMode.Pad }).Images;
        var stretch = ImageFolder.Load(folder, 6, new ImageFolderOptions { Fit = FitMode.Stretch }).Images;
        Assert.All(Enumerable.Range(0, 36), i => Assert.Equal(255, crop.Pixels[36 + i]));                 // centre square: all green
        Assert.Equal((255, 255, 255), (Pixel(pad, 0, 0, 0, 0), Pixel(pad, 0, 1, 0, 0), Pixel(pad, 0, 2, 0, 0))); // letterbox: white bars
        Assert.Equal((255, 0), (Pixel(pad, 0, 0, 3, 0), Pixel(pad, 0, 1, 3, 0)));                          // picture rows: red on the left
        Assert.Equal((255, 0), (Pixel(stretch, 0, 0, 0, 0), Pixel(stretch, 0, 1, 0, 0)));                   // all three thirds kept: red, green, blue
        Assert.Equal((0, 255), (Pixel(stretch, 0, 0, 5, 2), Pixel(stretch, 0, 1, 5, 2)));
        Assert.Equal((0, 255), (Pixel(stretch, 0, 1, 3, 5), Pixel(stretch, 0, 2, 3, 5)));
    }

    [Fact]
    public void A_picture_of_the_target_size_is_copied_exactly()
    {
        string folder = Path.Combine(TestData.TempDir(), "exact");
        var random = new Random(4);
        var colours = Enumerable.Range(0, 64).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        PictureFiles.Write(Path.Combine(folder, "x.png"), 8, 8, (x, y) => colours[y * 8 + x]);
        var set = ImageFolder.Load(folder, 8).Images;
        for (int i = 0; i < 64; i++)
            Assert.Equal((colours[i].Red, colours[i].Green, colours[i].Blue), (set.Pixels[i], set.Pixels[64 + i], set.Pixels[128 + i]));
    }

    [Fact]
    public void A_second_load_reads_the_cache_and_decodes_nothing()
    {
        string folder = MixedFolder();
        var first = ImageFolder.Load(folder, 16);
        Assert.False(first.FromCache);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(folder)!, "pictures.ign-cache-16-crop-white-rgb.gz"), first.CachePath);
        // same size and time, other bytes: only a decoder would notice
        string a = Path.Combine(folder, "a.png");
        var time = File.GetLastWriteTimeUtc(a);
        File.WriteAllBytes(a, new byte[new FileInfo(a).Length]);
        File.SetLastWriteTimeUtc(a, time);
        var second = ImageFolder.Load(folder, 16);
        Assert.True(second.FromCache);
        Assert.Equal(first.Images.Pixels, second.Images.Pixels);
        Assert.Equal((first.Found, first.Skipped), (second.Found, second.Skipped));
        Assert.Equal(first.Files, second.Files);
    }

    [Fact]
    public void Touching_changing_adding_or_removing_a_file_rebuilds_the_cache()
    {
        string folder = MixedFolder();
        ImageFolder.Load(folder, 16);
        string a = Path.Combine(folder, "a.png");
        File.SetLastWriteTimeUtc(a, File.GetLastWriteTimeUtc(a).AddMinutes(1));                 // touch
        Assert.False(ImageFolder.Load(folder, 16).FromCache);
        Assert.True(ImageFolder.Load(folder, 16).FromCache);

        PictureFiles.Solid(a, 100, 60, SKColors.Lime);                                            // modify
        var changed = ImageFolder.Load(folder, 16);
        Assert.False(changed.FromCache);
        Assert.Equal((0, 255), (Pixel(changed.Images, 0, 0, 8, 8), Pixel(changed.Images, 0, 1, 8, 8)));

        PictureFiles.Solid(Path.Combine(folder, "sub", "e.png"), 10, 10, SKColors.Blue);          // add
        var added = ImageFolder.Load(folder, 16);
        Assert.False(added.FromCache);
        Assert.Equal(5, added.Images.Count);

        File.Delete(Path.Combine(folder, "c.jpg"));                                               // remove
        var removed = ImageFolder.Load(folder, 16);
        Assert.False(removed.FromCache);
        Assert.Equal(4, removed.Images.Count);

        var padded = ImageFolder.Load(folder, 16, new ImageFolderOptions { Fit = FitMode.Pad }); // other options: their own cache
        Assert.False(padded.FromCache);
        Assert.True(ImageFolder.Load(folder, 16).FromCache);
    }

    [Fact]
    public void A_damaged_cache_is_rebuilt()
    {
        string folder = MixedFolder();
        string cache = ImageFolder.Load(folder, 16).CachePath!;
        File.WriteAllBytes(cache, File.ReadAllBytes(cache)[..40]);
        var again = ImageFolder.Load(folder, 16);
        Assert.False(again.FromCache);
        Assert.Equal(4, again.Images.Count);
        Assert.True(ImageFolder.Load(folder, 16).FromCache);
    }

    [Fact]
    public void The_image_limit_keeps_the_first_pictures_in_path_order()
    {
        var result = ImageFolder.Load(MixedFolder(), 8, new ImageFolderOptions { MaxImages = 2 }, useCache: false);
        Assert.Equal(2, result.Images.Count);
        Assert.Equal(2, result.LeftOut);
        Assert.Equal(["a.png", "c.jpg"], result.Files);
        Assert.Null(result.CachePath);
    }

    [Fact]
    public void Folders_without_usable_pictures_fail_with_one_line()
    {
        string missing = Path.Combine(TestData.TempDir(), "nowhere");
        Assert.Contains("image folder not found", Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(missing, 8)).Message);
        string empty = Path.Combine(TestData.TempDir(), "empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "x");
        Assert.Contains("no pictures found", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(empty, 8)).Message);
        string broken = Path.Combine(TestData.TempDir(), "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllBytes(Path.Combine(broken, "zero.png"), []);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(broken, 8));
        Assert.Contains("none of the 1 pictures could be read", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
