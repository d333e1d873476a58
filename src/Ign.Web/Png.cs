using Ign.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace Ign.Web;

/// <summary>Images to PNG data URLs for the page.</summary>
public static class Png
{
    /// <summary>One image (C, H, W) in [-1, 1] at its own size (the page enlarges it with crisp pixels).</summary>
    public static string DataUrl(Tensor image) => DataUrl([image.unsqueeze(0)], columns: 1, gap: 0, frame: false);

    /// <summary>Panels of images (N, C, H, W) as one grid PNG.</summary>
    public static string DataUrl(IReadOnlyList<Tensor> panels, int columns, int gap = 4, bool frame = true)
    {
        using var bitmap = frame ? ImageGrid.Render(panels, columns, scale: 1, gap: gap) : Plain(panels[0]);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return "data:image/png;base64," + Convert.ToBase64String(data.ToArray());
    }

    private static SKBitmap Plain(Tensor images) // (1, C, H, W)
    {
        int channels = (int)images.shape[1], h = (int)images.shape[2], w = (int)images.shape[3];
        var bytes = ImageGrid.ToBytes(images); // (1, H, W, C)
        var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++)
        {
            pixels[4 * i] = bytes[i * channels];
            pixels[4 * i + 1] = bytes[i * channels + (channels == 3 ? 1 : 0)];
            pixels[4 * i + 2] = bytes[i * channels + (channels == 3 ? 2 : 0)];
            pixels[4 * i + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }
}
