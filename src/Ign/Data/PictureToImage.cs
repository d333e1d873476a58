using Ign.Imaging;

namespace Ign.Data;

/// <summary>
/// One picture file → the bytes of one C×S×S image: decoded (with <see cref="ImageLoader"/>'s checks), alpha
/// composited onto the background at full resolution, made square (crop, pad or stretch) and area-averaged to S×S.
/// </summary>
public static class PictureToImage
{
    /// <summary>Bumped whenever the conversion changes, so caches made by older code are rebuilt.</summary>
    public const int Version = 1;

    public static byte[] Convert(byte[] file, string name, int size, ImageFolderOptions options)
    {
        var (rgba, width, height) = ImageLoader.DecodeRgba(file, name);
        float background = options.Background == Background.White ? 255f : 0f;
        // The square region of the composited picture that becomes the image: its side, and where the picture sits in
        // it.
        var (regionWidth, regionHeight, left, top) = options.Fit switch
        {
            FitMode.Crop => (Math.Min(width, height), Math.Min(width, height),
                -(width - Math.Min(width, height)) / 2, -(height - Math.Min(width, height)) / 2),
            FitMode.Pad => (Math.Max(width, height), Math.Max(width, height),
                (Math.Max(width, height) - width) / 2, (Math.Max(width, height) - height) / 2),
            _ => (width, height, 0, 0),
        };
        var planes = new float[3][];
        for (int c = 0; c < 3; c++)
        {
            var plane = new float[regionWidth * regionHeight];        // (regionH, regionW) in [0, 255]
            for (int y = 0; y < regionHeight; y++)
                for (int x = 0; x < regionWidth; x++)
                {
                    int sx = x - left, sy = y - top;
                    if (sx < 0 || sy < 0 || sx >= width || sy >= height)
                    {
                        plane[y * regionWidth + x] = background;
                        continue;
                    }
                    int p = 4 * (sy * width + sx);
                    float alpha = rgba[p + 3] / 255f;
                    plane[y * regionWidth + x] = alpha * rgba[p + c] + (1 - alpha) * background;
                }
            planes[c] = AreaResize.Plane(plane, regionWidth, regionHeight, size, size); // (S, S)
        }
        int pixels = size * size;
        var image = new byte[options.Channels * pixels];                  // (C, S, S)
        for (int i = 0; i < pixels; i++)
        {
            if (options.Channels == 1)
                image[i] = ToByte(0.299f * planes[0][i] + 0.587f * planes[1][i] + 0.114f * planes[2][i]);
            else for (int c = 0; c < 3; c++) image[c * pixels + i] = ToByte(planes[c][i]);
        }
        return image;
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
