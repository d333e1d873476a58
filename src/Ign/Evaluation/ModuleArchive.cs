using System.Text.Json;
using TorchSharp;
using Ign.IO;
using Ign.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Evaluation;

/// <summary>A header that names its file format, so another kind of archive is refused by name.</summary>
public interface IArchiveHeader
{
    string Format { get; }
}

/// <summary>
/// A network saved with a JSON header in a checksummed tensor archive (<see cref="TensorArchive"/>): the evaluation
/// classifier and encoders. Loading checks the format before reading the rest, so a checkpoint or a classifier given
/// as an encoder is named as such.
/// </summary>
public static class ModuleArchive
{
    public static void Save<THeader>(string path, THeader header, Module<Tensor, Tensor> network) =>
        TensorArchive.Save(path, Json.Serialize(header), network.state_dict());

    /// <param name="kind">what the file should hold, for the messages ("image encoder")</param>
    /// <param name="build">the network the header describes; an ArgumentException names a bad header</param>
    public static (TNetwork Network, THeader Header) Load<TNetwork, THeader>(string path, Device device,
        string formatName, string kind, Func<THeader, TNetwork> build)
        where TNetwork : Module<Tensor, Tensor> where THeader : IArchiveHeader
    {
        var (json, tensors) = TensorArchive.Load(path);
        try
        {
            if (FormatOf(json) is var format && format != formatName)
                throw new InvalidDataException($"{path}: not an {kind} (format '{format}')");
            THeader header;
            try { header = Json.Deserialize<THeader>(json); }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: unreadable {kind} header ({e.Message.Split('\n')[0]})");
            }
            TNetwork network;
            try { network = build(header); }
            catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}"); }
            TrainedModel.LoadState(network, tensors, path);
            network.to(device).eval();
            return (network, header);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>The header's "format" before the rest is read.</summary>
    private static string? FormatOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("format", out var f)
                && f.ValueKind == JsonValueKind.String
                    ? f.GetString()
                    : null;
        }
        catch (JsonException) { return null; }
    }
}
