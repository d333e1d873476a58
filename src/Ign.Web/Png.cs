using Ign.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace Ign.Web;

/// <summary>Images to PNG data URLs for the page.</summary>
public static class Png
{
    /// <summary>One image (C, H, W) in [-1, 1] at its own size (the page enlarges it with crisp pixels).</summary>
    public static string DataUrl(Tensor image) => Encode(ImageGrid.RenderImage(image));

    /// <summary>Panels of images (N, C, H, W) as one grid PNG.</summary>
    public static string DataUrl(IReadOnlyList<Tensor> panels, int columns, int gap = 4) =>
        Encode(ImageGrid.Render(panels, columns, scale: 1, gap: gap));

    private static string Encode(SKBitmap bitmap)
    {
        using (bitmap)
        using (var data = bitmap.Encode(SKEncodedImageFormat.Png, 100))
            return "data:image/png;base64," + Convert.ToBase64String(data.ToArray());
    }
}
