using Ign.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace Ign.Data;

/// <summary>
/// Digits as a user draws them on `ign serve`'s pad: strokes of the page's round brush (22 px on a 280×280 canvas),
/// in the handwriting of several invented writers (2 to 3 ways of writing each digit; slant, rotation, wobble, size
/// and place on the pad drawn at random from a fixed seed), then read by the same loader the server uses (a 15 %
/// margin, the whole pad resized to 28×28). Nothing comes from MNIST and nothing is centred like it: a drawing
/// smaller than MNIST's 20×20 box, or off centre, stays so, as on the page.
/// </summary>
public static class CanvasDigits
{
    private const int PadSize = 280;     // the page's canvas, in CSS pixels
    private const float BrushWidth = 22; // the page's lineWidth

    /// <summary><paramref name="perStyle"/> drawings of every way of writing every digit.</summary>
    public static ImageDataset Render(int perStyle = 12, int seed = 0)
    {
        var random = new Random(seed);
        var drawings = new List<(byte[] Png, byte Label)>();
        for (int digit = 0; digit < 10; digit++)
            foreach (var style in Styles[digit])
                for (int i = 0; i < perStyle; i++)
                    drawings.Add((Draw(style, random), (byte)digit));
        var pixels = new byte[drawings.Count * 28 * 28];
        var options = ImageLoadOptions.ForModel(1, 28);
        for (int n = 0; n < drawings.Count; n++)
        {
            using var scope = NewDisposeScope();
            using var scalars = new Runtime.HeldScalars();
            var image = ImageLoader.FromBytes(drawings[n].Png, 1, 28, options, "canvas digit"); // (1, 1, 28, 28)
            var bytes = image.add(scalars.Of(1)).mul(scalars.Of(127.5)).round().clamp(scalars.Of(0), scalars.Of(255))
                .to(ScalarType.Byte).data<byte>().ToArray();
            bytes.CopyTo(pixels, n * 28 * 28);
        }
        return new ImageDataset($"canvas digits ({drawings.Count} drawings)", pixels, drawings.Count, 1, 28, 28,
            drawings.Select(d => d.Label).ToArray());
    }

    /// <summary>One drawing as the PNG the page would send: white strokes on black.</summary>
    private static byte[] Draw(Stroke[] style, Random random)
    {
        double height = PadSize * (0.45 + 0.4 * random.NextDouble());          // 126 to 238 px tall
        double width = height * (0.65 + 0.3 * random.NextDouble());
        double slant = 0.35 * (random.NextDouble() - 0.5);                     // x shift per unit of height
        double angle = (random.NextDouble() - 0.5) * 0.25;                     // ±7°
        double room = (PadSize - height) / 2;
        double cx = PadSize / 2.0 + room * (random.NextDouble() - 0.5);
        double cy = PadSize / 2.0 + room * (random.NextDouble() - 0.5);
        double wobble = 0.012 + 0.02 * random.NextDouble();                    // hand tremor, in units of height
        (double Dx, double Dy) drift = (0, 0);

        using var bitmap = new SKBitmap(PadSize, PadSize, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint
               {
                   Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = BrushWidth,
                   StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round,
               })
        {
            canvas.Clear(SKColors.Black);
            foreach (var stroke in style)
            {
                using var path = new SKPath();
                bool first = true;
                foreach (var (u, v) in stroke.Points())
                {
                    // a slowly wandering offset, as a hand drifts, rather than independent jitter per point
                    drift = (0.8 * drift.Dx + wobble * Gaussian(random), 0.8 * drift.Dy + wobble * Gaussian(random));
                    double x = (u - 0.5 + slant * (0.5 - v) + drift.Dx) * width;
                    double y = (v - 0.5 + drift.Dy) * height;
                    var p = new SKPoint((float)(cx + x * Math.Cos(angle) - y * Math.Sin(angle)),
                                        (float)(cy + x * Math.Sin(angle) + y * Math.Cos(angle)));
                    if (first) path.MoveTo(p); else path.LineTo(p);
                    first = false;
                }
                canvas.DrawPath(path, paint);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A pen stroke in a unit box (x right, y down), as straight segments and circular arcs.</summary>
    private sealed record Stroke(params Segment[] Segments)
    {
        public IEnumerable<(double U, double V)> Points() => Segments.SelectMany(s => s.Points());
    }

    private abstract record Segment
    {
        public abstract IEnumerable<(double U, double V)> Points();
    }

    /// <summary>Through the given points, 8 steps between each two.</summary>
    private sealed record Line(params (double U, double V)[] Through) : Segment
    {
        public override IEnumerable<(double U, double V)> Points()
        {
            for (int i = 0; i + 1 < Through.Length; i++)
                for (int k = 0; k < 8; k++)
                    yield return (Through[i].U + (Through[i + 1].U - Through[i].U) * k / 8.0,
                                  Through[i].V + (Through[i + 1].V - Through[i].V) * k / 8.0);
            yield return Through[^1];
        }
    }

    /// <summary>An ellipse's arc from angle <paramref name="From"/> to <paramref name="To"/> (degrees; growing
    /// angles turn clockwise on screen, 270 is the top).</summary>
    private sealed record Arc(double Cu, double Cv, double Ru, double Rv, double From, double To) : Segment
    {
        public override IEnumerable<(double U, double V)> Points()
        {
            int steps = Math.Max(4, (int)(Math.Abs(To - From) / 10));
            for (int k = 0; k <= steps; k++)
            {
                double t = (From + (To - From) * k / steps) * Math.PI / 180;
                yield return (Cu + Ru * Math.Cos(t), Cv + Rv * Math.Sin(t));
            }
        }
    }

    private static Stroke S(params Segment[] segments) => new(segments);

    /// <summary>Ways of writing each digit, indexed by the digit.</summary>
    private static readonly Stroke[][][] Styles =
    [
        [   // 0: an oval from the top, anticlockwise; a rounder one from the top, clockwise
            [S(new Arc(0.5, 0.5, 0.32, 0.47, 270, -95))],
            [S(new Arc(0.5, 0.5, 0.4, 0.47, 265, 635))],
        ],
        [   // 1: a bar; with a flag; with a flag and a foot
            [S(new Line((0.52, 0.02), (0.48, 0.98)))],
            [S(new Line((0.3, 0.22), (0.55, 0.02), (0.55, 0.98)))],
            [S(new Line((0.3, 0.22), (0.55, 0.02), (0.55, 0.98))), S(new Line((0.3, 0.98), (0.8, 0.98)))],
        ],
        [   // 2: a hook, a diagonal and a base; a curly one with a loop at the bottom
            [S(new Arc(0.5, 0.3, 0.3, 0.27, 190, 385), new Line((0.76, 0.42), (0.18, 0.97), (0.85, 0.97)))],
            [S(new Arc(0.5, 0.3, 0.3, 0.27, 200, 400), new Line((0.73, 0.48), (0.25, 0.9)),
               new Arc(0.3, 0.88, 0.08, 0.08, 270, 90), new Line((0.3, 0.96), (0.88, 0.94)))],
        ],
        [   // 3: two bowls; a flat top and a bowl
            [S(new Arc(0.5, 0.27, 0.28, 0.24, 200, 450), new Arc(0.5, 0.74, 0.32, 0.25, 270, 520))],
            [S(new Line((0.18, 0.04), (0.8, 0.04), (0.42, 0.42)), new Arc(0.5, 0.7, 0.34, 0.28, 250, 520))],
        ],
        [   // 4: closed, in one stroke and a bar; open, in two strokes
            [S(new Line((0.62, 0.98), (0.62, 0.02), (0.1, 0.66), (0.9, 0.66)))],
            [S(new Line((0.22, 0.02), (0.16, 0.58), (0.86, 0.58))), S(new Line((0.66, 0.02), (0.66, 0.98)))],
        ],
        [   // 5: a flag, a stem and a bowl; the flag drawn last
            [S(new Line((0.8, 0.03), (0.3, 0.03), (0.25, 0.45)), new Arc(0.5, 0.68, 0.33, 0.28, 215, 520))],
            [S(new Line((0.27, 0.03), (0.24, 0.45)), new Arc(0.5, 0.68, 0.33, 0.28, 215, 520)),
             S(new Line((0.27, 0.03), (0.82, 0.03)))],
        ],
        [   // 6: a falling stem into a loop; a straighter stem
            [S(new Line((0.72, 0.02), (0.45, 0.18), (0.28, 0.42), (0.2, 0.68)),
               new Arc(0.5, 0.72, 0.3, 0.25, 180, 540))],
            [S(new Line((0.6, 0.02), (0.25, 0.62)), new Arc(0.5, 0.74, 0.28, 0.23, 200, 560))],
        ],
        [   // 7: a bar and a diagonal; with a crossbar; with a bent stem
            [S(new Line((0.12, 0.04), (0.88, 0.04), (0.38, 0.98)))],
            [S(new Line((0.12, 0.04), (0.88, 0.04), (0.42, 0.98))), S(new Line((0.3, 0.52), (0.8, 0.52)))],
            [S(new Line((0.12, 0.1), (0.2, 0.04), (0.88, 0.04), (0.6, 0.5), (0.45, 0.98)))],
        ],
        [   // 8: two circles; one stroke crossing in the middle
            [S(new Arc(0.5, 0.26, 0.24, 0.23, 90, 450)), S(new Arc(0.5, 0.73, 0.3, 0.25, 270, 630))],
            [S(new Arc(0.5, 0.26, 0.25, 0.23, 340, 160), new Line((0.27, 0.33), (0.72, 0.6)),
               new Arc(0.5, 0.73, 0.3, 0.25, 300, 600), new Line((0.35, 0.51), (0.73, 0.18)))],
        ],
        [   // 9: a loop and a straight stem; a loop and a hooked stem
            [S(new Arc(0.5, 0.28, 0.3, 0.25, 0, -360), new Line((0.8, 0.28), (0.74, 0.98)))],
            [S(new Arc(0.48, 0.28, 0.3, 0.25, 10, -350), new Line((0.78, 0.3), (0.72, 0.78)),
               new Arc(0.5, 0.78, 0.22, 0.2, 0, 130))],
        ],
    ];
}
