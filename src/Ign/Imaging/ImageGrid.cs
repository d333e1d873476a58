using Ign.Numerics;
using Ign.IO;
using Ign.Runtime;
using SkiaSharp;
using static TorchSharp.torch;

namespace Ign.Imaging;

/// <summary>
/// Lays out image batches as a PNG: each panel is a batch (N, C, H, W) in [-1, 1] drawn as a grid of
/// <c>columns</c> images; panels sit side by side separated by a gap. Pixels are enlarged by an integer
/// scale with nearest-neighbour sampling so digits stay crisp.
/// </summary>
public static class ImageGrid
{
    public static void SavePng(string path, IReadOnlyList<Tensor> panels, int columns, int scale = 1, int gap = 8)
    {
        using var bitmap = Render(panels, columns, scale, gap);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, data.SaveTo);
    }

    public static void SavePng(string path, Tensor images, int columns, int scale = 1) =>
        SavePng(path, [images], columns, scale);

    /// <summary>One image (C, H, W) in [-1, 1] as a PNG of its own size times scale, without frame.</summary>
    public static void SaveImage(string path, Tensor image, int scale = 1)
    {
        using var bitmap = RenderImage(image, scale);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, data.SaveTo);
    }

    /// <summary>One image (C, H, W) in [-1, 1] as a bitmap of its own size times scale, without frame.</summary>
    public static SKBitmap RenderImage(Tensor image, int scale = 1)
    {
        int channels = (int)image.shape[0], h = (int)image.shape[1], w = (int)image.shape[2];
        var bytes = ToBytes(image.unsqueeze(0)); // (1, H, W, C)
        var bitmap = new SKBitmap(new SKImageInfo(w * scale, h * scale, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[w * scale * h * scale * 4];
        for (int y = 0; y < h * scale; y++)
            for (int x = 0; x < w * scale; x++)
            {
                int src = ((y / scale) * w + x / scale) * channels, dst = (y * w * scale + x) * 4;
                pixels[dst] = bytes[src];
                pixels[dst + 1] = bytes[src + (channels == 3 ? 1 : 0)];
                pixels[dst + 2] = bytes[src + (channels == 3 ? 2 : 0)];
                pixels[dst + 3] = 255;
            }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }

    public static SKBitmap Render(IReadOnlyList<Tensor> panels, int columns, int scale = 1, int gap = 8)
    {
        if (panels.Count == 0) throw new ArgumentException("nothing to draw");
        var first = panels[0];
        if (first.dim() != 4) throw new ArgumentException("panels must be (N, C, H, W) tensors");
        int channels = (int)first.shape[1], h = (int)first.shape[2], w = (int)first.shape[3];
        if (channels is not (1 or 3)) throw new ArgumentException($"images must have 1 or 3 channels, not {channels}");
        int pad = 2;
        int maxCount = panels.Max(p => (int)p.shape[0]);
        int cols = Math.Max(1, Math.Min(columns, maxCount));
        int rows = (maxCount + cols - 1) / cols;
        int panelWidth = cols * (w * scale + pad) + pad, panelHeight = rows * (h * scale + pad) + pad;
        int width = panels.Count * panelWidth + (panels.Count - 1) * gap, height = panelHeight;

        var pixels = new byte[width * height * 4];
        for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255; // opaque
        FillRect(pixels, width, 0, 0, width, height, 40);             // dark grey frame
        for (int p = 0; p < panels.Count; p++)
        {
            // white gap between panels
            if (p > 0) FillRect(pixels, width, p * (panelWidth + gap) - gap, 0, gap, height, 255);
            var bytes = ToBytes(panels[p]); // (N, H, W, C) bytes
            int n = (int)panels[p].shape[0];
            for (int k = 0; k < n; k++)
            {
                int x0 = p * (panelWidth + gap) + pad + (k % cols) * (w * scale + pad);
                int y0 = pad + (k / cols) * (h * scale + pad);
                for (int y = 0; y < h * scale; y++)
                    for (int x = 0; x < w * scale; x++)
                    {
                        int src = ((k * h + y / scale) * w + x / scale) * channels;
                        int dst = ((y0 + y) * width + x0 + x) * 4;
                        pixels[dst] = bytes[src];
                        pixels[dst + 1] = bytes[src + (channels == 3 ? 1 : 0)];
                        pixels[dst + 2] = bytes[src + (channels == 3 ? 2 : 0)];
                    }
            }
        }
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }

    /// <summary>(N, C, H, W) in [-1, 1] → bytes in (N, H, W, C) order, clamped and rounded.</summary>
    public static byte[] ToBytes(Tensor images)
    {
        FiniteCheck.Require(images, "image to write"); // NaN would clamp to black without a word
        using var scope = NewDisposeScope();
        // (clamp(x, -1, 1) + 1) · 127.5
        using var scalars = new HeldScalars();
        var scaled = images.detach().cpu().to(float32)
            .clamp(scalars.Of(-1), scalars.Of(1)).add(scalars.Of(1), scalars.Of(1))
            .mul(scalars.Of(127.5)).round().to(ScalarType.Byte); // (N, C, H, W)
        return scaled.permute(0, 2, 3, 1).contiguous().data<byte>().ToArray();
    }

    private static void FillRect(byte[] pixels, int width, int x0, int y0, int w, int h, byte value)
    {
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++)
            {
                int i = (y * width + x) * 4;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = value;
            }
    }
}
