using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Ign.IO;

/// <summary>
/// A single-file archive of a JSON header and named tensors, ending in a SHA-256 of everything before it:
///   "IGNARCH1" | int32 header length | UTF-8 JSON | int32 tensor count |
///   per tensor: name (int32 length + UTF-8), dtype (int32), rank (int32), shape (int64 each), int64 byte count, bytes
/// |
///   SHA-256 (32 bytes).
/// A truncated or altered file fails the checksum with a one-line message naming the file.
/// </summary>
public static class TensorArchive
{
    private static readonly byte[] Magic = "IGNARCH1"u8.ToArray();

    public static void Save(string path, string headerJson, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var list = tensors.ToList();
        AtomicFile.Write(path, stream =>
        {
            using var hashing = new HashingStream(stream);
            using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                WriteString(w, headerJson);
                w.Write(list.Count);
                foreach (var (name, t) in list)
                {
                    using var cpu = t.detach().cpu().contiguous();
                    WriteString(w, name);
                    w.Write((int)cpu.dtype);
                    w.Write((int)cpu.dim());
                    foreach (long d in cpu.shape) w.Write(d);
                    var bytes = cpu.bytes;
                    w.Write((long)bytes.Length);
                    w.Write(bytes);
                }
            }
            stream.Write(hashing.Hash());
        });
    }

    public static (string HeaderJson, Dictionary<string, Tensor> Tensors) Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        byte[] all = File.ReadAllBytes(path);
        if (all.Length < Magic.Length + 32 || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not an IGN checkpoint (bad magic)");
        var expected = all.AsSpan(all.Length - 32);
        if (!SHA256.HashData(all.AsSpan(0, all.Length - 32)).AsSpan().SequenceEqual(expected))
            throw new InvalidDataException($"{path}: checkpoint is truncated or corrupt (checksum mismatch)");
        using var r = new BinaryReader(new MemoryStream(all, Magic.Length, all.Length - 32 - Magic.Length),
            Encoding.UTF8);
        string header = ReadString(r);
        int count = r.ReadInt32();
        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < count; i++)
        {
            string name = ReadString(r);
            var dtype = (ScalarType)r.ReadInt32();
            var shape = new long[r.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = r.ReadInt64();
            long length = r.ReadInt64();
            var t = empty(shape, dtype);
            t.bytes = r.ReadBytes(checked((int)length));
            tensors[name] = t.DetachFromDisposeScope();
        }
        return (header, tensors);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()));

    /// <summary>Passes writes through while hashing them.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public byte[] Hash() => hash.GetHashAndReset();
        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }
        public override void Write(ReadOnlySpan<byte> buffer) { hash.AppendData(buffer); inner.Write(buffer); }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) hash.Dispose(); base.Dispose(disposing); }
    }
}
