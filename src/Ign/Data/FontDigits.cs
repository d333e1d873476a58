using SkiaSharp;

namespace Ign.Data;

/// <summary>
/// Digits that never came from MNIST: 0–9 rendered from the fonts installed on this machine (on Debian DejaVu and
/// Liberation, URW base35 and others where installed), in each weight and slant a family has, placed as MNIST placed
/// its digits: white on black, the glyph scaled to fit a 20×20 box (aspect kept), then moved so its centre of mass
/// sits at the centre of the 28×28 image. Empty where no font is installed.
/// </summary>
public static class FontDigits
{
    private static readonly SKFontStyle[] Styles =
        [SKFontStyle.Normal, SKFontStyle.Bold, SKFontStyle.Italic, SKFontStyle.BoldItalic];

    /// <summary>The set, one image per (typeface, digit); its name says how many typefaces.</summary>
    public static ImageDataset Render()
    {
        var typefaces = Typefaces();
        var pixels = new byte[typefaces.Count * 10 * 28 * 28];
        var labels = new byte[typefaces.Count * 10];
        int n = 0;
        foreach (var typeface in typefaces)
            using (typeface)
                for (int digit = 0; digit < 10; digit++, n++)
                {
                    Place(Glyph(typeface, digit), pixels.AsSpan(n * 28 * 28, 28 * 28));
                    labels[n] = (byte)digit;
                }
        return new ImageDataset($"font digits ({typefaces.Count} typefaces)", pixels, n, 1, 28, 28, labels);
    }

    /// <summary>Every installed family's regular, bold, italic and bold italic faces, each face once; symbol and
    /// math fonts left out.</summary>
    private static List<SKTypeface> Typefaces()
    {
        var seen = new HashSet<string>();
        var typefaces = new List<SKTypeface>();
        foreach (var family in SKFontManager.Default.FontFamilies.Order(StringComparer.Ordinal))
        {
            if (new[] { "Math", "Symbol" }.Any(word => family.Contains(word, StringComparison.Ordinal))) continue;
            foreach (var style in Styles)
            {
                var typeface = SKFontManager.Default.MatchFamily(family, style);
                if (typeface is null) continue;
                string key = $"{typeface.FamilyName}|{typeface.FontWeight}|{typeface.FontSlant}|{typeface.FontWidth}";
                if (typeface.GlyphCount < 10 || !seen.Add(key)) { typeface.Dispose(); continue; }
                typefaces.Add(typeface);
            }
        }
        return typefaces;
    }

    /// <summary>The digit drawn large, white on black, cropped to its ink.</summary>
    private static SKBitmap Glyph(SKTypeface typeface, int digit)
    {
        const int size = 160;
        using var canvasBitmap = new SKBitmap(size, size, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(canvasBitmap))
        using (var font = new SKFont(typeface, 100))
        using (var paint = new SKPaint { Color = SKColors.White, IsAntialias = true })
        {
            canvas.Clear(SKColors.Black);
            canvas.DrawText(digit.ToString(System.Globalization.CultureInfo.InvariantCulture), 30, 120, font, paint);
        }
        int left = size, top = size, right = -1, bottom = -1;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                if (canvasBitmap.GetPixel(x, y).Red > 0)
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x),
                        Math.Max(bottom, y));
        if (right < 0) return new SKBitmap(1, 1, SKColorType.Gray8, SKAlphaType.Opaque);
        using var ink = new SKBitmap();
        canvasBitmap.ExtractSubset(ink, SKRectI.Create(left, top, right - left + 1, bottom - top + 1));
        return ink.Copy();
    }

    /// <summary>MNIST's placement: fit in 20×20 keeping the aspect, centre of mass at (14, 14).</summary>
    private static void Place(SKBitmap ink, Span<byte> target)
    {
        using (ink)
        {
            double scale = 20.0 / Math.Max(ink.Width, ink.Height);
            int w = Math.Max(1, (int)Math.Round(ink.Width * scale));
            int h = Math.Max(1, (int)Math.Round(ink.Height * scale));
            using var scaled = ink.Resize(new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque),
                new SKSamplingOptions(SKCubicResampler.Mitchell));
            double mass = 0, mx = 0, my = 0;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    double v = scaled.GetPixel(x, y).Red;
                    (mass, mx, my) = (mass + v, mx + v * x, my + v * y);
                }
            int dx = 14 - (int)Math.Round(mass > 0 ? mx / mass : w / 2.0);
            int dy = 14 - (int)Math.Round(mass > 0 ? my / mass : h / 2.0);
            target.Clear();
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int tx = x + dx, ty = y + dy;
                    if (tx is >= 0 and < 28 && ty is >= 0 and < 28) target[ty * 28 + tx] = scaled.GetPixel(x, y).Red;
                }
        }
    }
}
