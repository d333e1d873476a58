using SkiaSharp;

namespace Ign.Tests.Web;

/// <summary>The form a Make-It-Real request sends: a 28×28 drawing (a white vertical stroke on black) and fields.
/// </summary>
internal static class DrawingForm
{
    public static MultipartFormDataContent With(params (string Name, string Value)[] fields)
    {
        using var bitmap = new SKBitmap(28, 28);
        bitmap.Erase(SKColors.Black);
        for (int y = 6; y < 22; y++) bitmap.SetPixel(14, y, SKColors.White);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var form = new MultipartFormDataContent { { new ByteArrayContent(png.ToArray()), "image", "drawing.png" } };
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }
}
