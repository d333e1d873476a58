using System.IO.Compression;

namespace Ign.Data;

/// <summary>An unsigned-byte IDX array (the MNIST file format): its dimensions and raw values.</summary>
public sealed record IdxArray(int[] Shape, byte[] Values);

/// <summary>
/// Reads IDX files (gzip-compressed or raw). Every malformed input becomes an InvalidDataException
/// whose one-line message names the file: bad magic number, unsupported type, truncated or oversized.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    public static IdxArray Read(string path) => Parse(ReadDecompressed(path), path);

    /// <summary>The file's bytes, gunzipped when it starts with the gzip magic.</summary>
    public static byte[] ReadDecompressed(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            // GZipStream stops quietly at a cut; the trailer's ISIZE (length mod 2^32) tells a truncated file.
            uint expectedLength = BitConverter.ToUInt32(raw, raw.Length - 4);
            if (raw.Length < 18 || (uint)output.Length != expectedLength)
                throw new InvalidDataException(
                    $"decompressed {output.Length} bytes, the gzip trailer says {expectedLength}");
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{path}: corrupt or truncated gzip data ({e.Message})");
        }
    }

    public static IdxArray Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{name}: not an IDX file (bad magic number)");
        if (bytes[2] != UnsignedByte)
            throw new InvalidDataException(
                $"{name}: IDX element type 0x{bytes[2]:x2} is not supported (only unsigned bytes, 0x08)");
        int dims = bytes[3];
        if (dims is < 1 or > 4)
            throw new InvalidDataException($"{name}: IDX file with {dims} dimensions is not supported");
        int header = 4 + 4 * dims;
        if (bytes.Length < header) throw new InvalidDataException($"{name}: truncated IDX header");
        var shape = new int[dims];
        long count = 1;
        for (int d = 0; d < dims; d++)
        {
            shape[d] = (bytes[4 + 4 * d] << 24) | (bytes[5 + 4 * d] << 16) | (bytes[6 + 4 * d] << 8) | bytes[7 + 4 * d];
            if (shape[d] <= 0) throw new InvalidDataException($"{name}: dimension {d} has size {shape[d]}");
            count *= shape[d];
        }
        long actual = bytes.Length - header;
        if (actual < count)
            throw new InvalidDataException($"{name}: truncated: {actual} data bytes where the header promises {count}");
        if (actual > count)
            throw new InvalidDataException($"{name}: {actual - count} bytes beyond the {count} the header describes");
        return new IdxArray(shape, bytes.AsSpan(header).ToArray());
    }
}
