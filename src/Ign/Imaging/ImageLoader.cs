using Ign.Runtime;
using SkiaSharp;
using static TorchSharp.torch;

namespace Ign.Imaging;

/// <summary>How a picture of another shape is made square.</summary>
public enum FitMode { Pad, Crop, Stretch }

/// <summary>Whether to swap black and white so the picture matches the model's white-on-black digits.</summary>
public enum InvertMode { Auto, Yes, No }

public sealed record ImageLoadOptions
{
    // pad: whole picture, letterboxed; crop: centre square; stretch: distort
    public FitMode Fit { get; init; } = FitMode.Pad;
    // auto: invert when the border is brighter than the middle of the range
    public InvertMode Invert { get; init; } = InvertMode.Auto;
    // border added around the picture before resizing (MNIST digits sit in a 20×20 box of 28×28)
    public double Margin { get; init; } = 0.15;

    /// <summary>The margin a model's pictures get by default: MNIST's for grey 28×28 models, none otherwise.</summary>
    public static double MarginFor(int channels, int size) => channels == 1 && size == 28 ? 0.15 : 0;

    /// <summary>The defaults for a model of <paramref name="channels"/> × <paramref name="size"/>²: pad, invert
    /// when needed, the model's margin.</summary>
    public static ImageLoadOptions ForModel(int channels, int size) => new() { Margin = MarginFor(channels, size) };
}

/// <summary>
/// Any picture SkiaSharp decodes (PNG, JPEG, WebP, ...; any size, grey or colour, with or without alpha)
/// as a (1, C, S, S) tensor in [-1, 1] for a model of C channels and size S.
/// </summary>
public static class ImageLoader
{
    public static Tensor Load(string path, int channels, int size, ImageLoadOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found");
        return FromBytes(File.ReadAllBytes(path), channels, size, options, path);
    }

    /// <summary>
    /// Largest picture decoded (width × height): a header may claim any size, and decoding allocates it.
    /// </summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>
    /// A repaint mask as the pixels to keep: (1, 1, S, S), 1 where the mask is dark, 0 where it is light (the region
    /// f repaints). Placed like the picture it marks (same fit and margin), never inverted.
    /// </summary>
    public static Tensor KnownPixels(byte[] mask, int size, ImageLoadOptions options, string name)
    {
        using var scope = NewDisposeScope();
        using var scalars = new HeldScalars();
        var grey = FromBytes(mask, 1, size, options with { Invert = InvertMode.No }, name);   // (1, 1, S, S)
        return grey.le(scalars.Of(0)).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public static Tensor FromBytes(byte[] data, int channels, int size, ImageLoadOptions? options = null,
        string name = "upload")
    {
        if (data.Length == 0) throw new InvalidDataException(NotAnImage(name));
        using var skData = SKData.CreateCopy(data);
        using var codec = OpenChecked(skData, name);
        SKBitmap? decoded;
        // Unpremultiplied, as FromBitmap composites (SKBitmap.Decode(codec) alone premultiplies, which darkened
        // half-transparent edges)
        try
        {
            decoded = SKBitmap.Decode(codec,
                new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        }
        // SkiaSharp throws plain Exceptions on corrupt data
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{NotAnImage(name)} ({e.Message})");
        }
        if (decoded is null) throw new InvalidDataException(NotAnImage(name));
        using (decoded) return FromBitmap(decoded, channels, size, options ?? new ImageLoadOptions(), name);
    }

    /// <summary>
    /// The picture as unpremultiplied RGBA bytes, row by row, after the same header and size checks as
    /// <see cref="FromBytes"/>. A file that does not decode completely (corrupt, truncated) is an InvalidDataException
    /// naming it.
    /// </summary>
    public static unsafe (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] data, string name)
    {
        if (data.Length == 0) throw new InvalidDataException(NotAnImage(name));
        using var skData = SKData.CreateCopy(data);
        using var codec = OpenChecked(skData, name);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        SKCodecResult result;
        try
        {
            fixed (byte* pixels = rgba) result = codec.GetPixels(info, (IntPtr)pixels);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{NotAnImage(name)} ({e.Message})");
        }
        // IncompleteInput leaves the rest of the picture blank: not an image we want to keep
        if (result != SKCodecResult.Success) throw new InvalidDataException($"{NotAnImage(name)} ({result})");
        return (rgba, info.Width, info.Height);
    }

    private static string NotAnImage(string name) =>
        $"{name}: not an image this program can decode (PNG, JPEG, WebP, BMP, GIF)";

    private static SKCodec OpenChecked(SKData skData, string name)
    {
        var codec = SKCodec.Create(skData) ?? throw new InvalidDataException(NotAnImage(name));
        var info = codec.Info;
        string? problem = info.Width < 1 || info.Height < 1 ? $"{name}: the image is empty"
            : (long)info.Width * info.Height > MaxPixels
                ? $"{name}: {info.Width}×{info.Height} pixels is more than the {MaxPixels / 1_000_000} megapixels "
                    + "this program decodes"
            : null;
        if (problem is null) return codec;
        codec.Dispose();
        throw new InvalidDataException(problem);
    }

    private static Tensor FromBitmap(SKBitmap decoded, int channels, int size, ImageLoadOptions options, string name)
    {
        if (decoded.Width < 1 || decoded.Height < 1) throw new InvalidDataException($"{name}: the image is empty");
        if (channels is not (1 or 3)) throw new ArgumentException($"models with {channels} channels are not supported");
        using var rgba = decoded.Copy(SKColorType.Rgba8888)
            ?? throw new InvalidDataException($"{name}: cannot convert the image to RGBA");
        var pixels = rgba.GetPixelSpan();
        int w = rgba.Width, h = rgba.Height;

        // Transparent areas take the colour that contrasts with the strokes, so a drawing on a clear background stays
        // visible.
        double strokeLuma = 0, strokeWeight = 0;
        for (int i = 0; i < w * h; i++)
        {
            double a = pixels[4 * i + 3] / 255.0;
            strokeLuma += a * Luma(pixels[4 * i], pixels[4 * i + 1], pixels[4 * i + 2]);
            strokeWeight += a;
        }
        double background = strokeWeight > 0 && strokeLuma / strokeWeight > 0.5 ? 0 : 1;
        var rgb = new float[3 * w * h]; // (3, H, W) in [0, 1]
        for (int i = 0; i < w * h; i++)
        {
            double a = pixels[4 * i + 3] / 255.0;
            for (int c = 0; c < 3; c++)
                rgb[c * w * h + i] = (float)(a * pixels[4 * i + c] / 255.0 + (1 - a) * background);
        }

        using var scope = NewDisposeScope();
        var image = tensor(rgb, [1, 3, h, w]);                                                   // (1, 3, H, W)
        // (1, 1, H, W)
        if (channels == 1)
            image = (image * tensor(new float[] { 0.299f, 0.587f, 0.114f }).view(1, 3, 1, 1)).sum([1], keepdim: true);
        bool invert = options.Invert switch
        {
            InvertMode.Yes => true,
            InvertMode.No => false,
            _ => channels == 1 && BorderMean(image) > 0.5,
        };
        using var scalars = new HeldScalars();
        if (invert) image = image.neg().add(scalars.Of(1), scalars.Of(1));                         // 1 − image
        image = MakeSquare(image, options);
        var resized = nn.functional.interpolate(image, [size, size], mode: InterpolationMode.Area); // (1, C, S, S)
        // 2·clamp(x, 0, 1) − 1
        return resized.clamp(scalars.Of(0), scalars.Of(1))
            .mul(scalars.Of(2))
            .sub(scalars.Of(1))
            .MoveToOuterDisposeScope();
    }

    private static double Luma(byte r, byte g, byte b) => (0.299 * r + 0.587 * g + 0.114 * b) / 255.0;

    private static double BorderMean(Tensor image) // (1, C, H, W) in [0, 1]
    {
        long h = image.shape[2], w = image.shape[3];
        var edges = new[]
        {
            image.narrow(2, 0, 1), image.narrow(2, h - 1, 1), image.narrow(3, 0, 1), image.narrow(3, w - 1, 1)
        };
        return edges.Select(e => e.mean().item<float>()).Average();
    }

    // (1, C, H, W) in [0, 1], background at the border
    private static Tensor MakeSquare(Tensor image, ImageLoadOptions options)
    {
        long h = image.shape[2], w = image.shape[3];
        if (options.Fit == FitMode.Crop && h != w)
        {
            long side = Math.Min(h, w);
            image = image.narrow(2, (h - side) / 2, side).narrow(3, (w - side) / 2, side);
            h = w = side;
        }
        double fill = BorderMean(image);
        long target = options.Fit == FitMode.Stretch ? 0 : Math.Max(h, w);
        long marginH = (long)Math.Round(options.Margin * Math.Max(h, w)), marginW = marginH;
        long padTop = (target == 0 ? 0 : (target - h) / 2) + marginH,
            padBottom = (target == 0 ? 0 : target - h - (target - h) / 2) + marginH;
        long padLeft = (target == 0 ? 0 : (target - w) / 2) + marginW,
            padRight = (target == 0 ? 0 : target - w - (target - w) / 2) + marginW;
        return nn.functional.pad(image, [padLeft, padRight, padTop, padBottom], value: fill);
    }
}
