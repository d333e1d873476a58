using SkiaSharp;

namespace Ign.Tests.Data;

/// <summary>Writes small test pictures with SkiaSharp: any size, colour type and format, pixels from a function.</summary>
public static class PictureFiles
{
    public static string Write(string path, int width, int height, Func<int, int, SKColor> pixel,
                               SKEncodedImageFormat format = SKEncodedImageFormat.Png, SKColorType colorType = SKColorType.Rgba8888)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, colorType == SKColorType.Gray8 ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, pixel(x, y));
        using var data = bitmap.Encode(format, 95);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    public static string Solid(string path, int width, int height, SKColor colour, SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Write(path, width, height, (_, _) => colour, format);
}
