using System.IO.Compression;
using Ign.Data;

namespace Ign.Tests.Data;

public class IdxFileTests
{
    private static byte[] Idx(byte type, int[] shape, int dataBytes)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)shape.Length };
        foreach (int d in shape) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(Enumerable.Range(0, dataBytes).Select(i => (byte)i));
        return bytes.ToArray();
    }

    private static string Write(string dir, string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(dir, name);
        if (!gzip) File.WriteAllBytes(path, bytes);
        else
        {
            using var file = File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        return path;
    }

    [Fact]
    public void Reads_raw_and_gzipped_files()
    {
        string dir = TestData.TempDir();
        var raw = IdxFile.Read(Write(dir, "a", Idx(8, [2, 3, 4], 24)));
        var gz = IdxFile.Read(Write(dir, "b.gz", Idx(8, [2, 3, 4], 24), gzip: true));
        Assert.Equal([2, 3, 4], raw.Shape);
        Assert.Equal(raw.Values, gz.Values);
        Assert.Equal(23, raw.Values[23]);
    }

    [Theory]
    [InlineData("bad magic", "not an IDX file")]
    [InlineData("truncated", "truncated")]
    [InlineData("too long", "beyond")]
    [InlineData("float type", "not supported")]
    [InlineData("truncated gzip", "corrupt or truncated gzip")]
    public void Malformed_files_fail_with_one_line_naming_the_file(string kind, string expected)
    {
        string dir = TestData.TempDir();
        byte[] good = Idx(8, [2, 3, 4], 24);
        string path = kind switch
        {
            "bad magic" => Write(dir, "f", [1, 2, .. good[2..]]),
            "truncated" => Write(dir, "f", good[..^5]),
            "too long" => Write(dir, "f", [.. good, 1, 2]),
            "float type" => Write(dir, "f", Idx(0x0D, [2, 3, 4], 96)),
            _ => Write(dir, "f.gz", File.ReadAllBytes(Write(dir, "g.gz", good, gzip: true))[..20]),
        };
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(expected, ex.Message);
        Assert.Contains(path, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_folder_whose_label_count_differs_from_its_images_is_rejected()
    {
        string dir = TestData.TempDir();
        Write(dir, "train-images-idx3-ubyte", Idx(8, [3, 28, 28], 3 * 784));
        Write(dir, "train-labels-idx1-ubyte", Idx(8, [2], 2));
        var ex = Assert.Throws<InvalidDataException>(() => MnistFolder.Load(dir, Split.Train));
        Assert.Contains("2 labels for 3 images", ex.Message);
    }

    [Fact]
    public void A_folder_without_the_files_says_which_is_missing()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => MnistFolder.Load(TestData.TempDir(), Split.Test));
        Assert.Contains("t10k-images-idx3-ubyte", ex.Message);
    }

    [Fact]
    public void Embedded_mnist_is_the_canonical_data_set()
    {
        var test = MnistFolder.LoadEmbeddedMnist(Split.Test); // verifies the SHA-256 of both files
        Assert.Equal(10000, test.Count);
        Assert.Equal((1, 28, 28), (test.Channels, test.Height, test.Width));
        Assert.Equal(7, test.Labels![0]); // the first test digit is a 7
        var counts = test.Labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts.Count);
        Assert.Equal(1135, counts[1]);
    }
}
