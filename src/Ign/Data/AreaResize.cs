namespace Ign.Data;

/// <summary>
/// Box-filter resampling of one plane: each output pixel is the mean of the input area it covers, input
/// pixels weighted by their overlap (torch's "area" mode when shrinking). Same size is an exact copy.
/// </summary>
public static class AreaResize
{
    public static float[] Plane(ReadOnlySpan<float> source, int width, int height, int outWidth, int outHeight)
    {
        var columns = Weights(width, outWidth);
        var rows = Weights(height, outHeight);
        var wide = new float[height * outWidth];                       // (H, outW): rows resized first
        for (int y = 0; y < height; y++)
            for (int ox = 0; ox < outWidth; ox++)
            {
                float sum = 0;
                foreach (var (i, w) in columns[ox]) sum += source[y * width + i] * w;
                wide[y * outWidth + ox] = sum;
            }
        var result = new float[outHeight * outWidth];                  // (outH, outW)
        for (int oy = 0; oy < outHeight; oy++)
            foreach (var (i, w) in rows[oy])
                for (int ox = 0; ox < outWidth; ox++)
                    result[oy * outWidth + ox] += wide[i * outWidth + ox] * w;
        return result;
    }

    /// <summary>For each output index, the input indices it covers and their weights (summing to 1).</summary>
    private static (int Index, float Weight)[][] Weights(int length, int outLength)
    {
        double scale = (double)length / outLength;
        var weights = new (int, float)[outLength][];
        for (int o = 0; o < outLength; o++)
        {
            double start = o * scale, end = (o + 1) * scale;
            var taps = new List<(int, float)>();
            for (int i = (int)Math.Floor(start); i < Math.Min(length, (int)Math.Ceiling(end)); i++)
            {
                double overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                if (overlap > 1e-12) taps.Add((i, (float)(overlap / scale)));
            }
            weights[o] = taps.ToArray();
        }
        return weights;
    }
}
