using Ign.IO;
using static TorchSharp.torch;

namespace Ign.Imaging;

/// <summary>
/// Writes images (N, C, H, W) in [-1, 1] as an unsigned-byte IDX file readable by <see cref="Data.IdxFile"/>.
/// </summary>
public static class IdxWriter
{
    public static void WriteImages(string path, Tensor images)
    {
        var bytes = ImageGrid.ToBytes(images); // (N, H, W, C)
        int[] shape = images.shape[1] == 1
            ? [(int)images.shape[0], (int)images.shape[2], (int)images.shape[3]]
            : [(int)images.shape[0], (int)images.shape[2], (int)images.shape[3], (int)images.shape[1]];
        AtomicFile.Write(path, s =>
        {
            s.Write([0, 0, 0x08, (byte)shape.Length]);
            foreach (int d in shape) s.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
            s.Write(bytes);
        });
    }
}
