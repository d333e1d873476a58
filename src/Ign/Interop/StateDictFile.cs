using System.Collections;
using System.Collections.Specialized;
using Ign.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Ign.Interop;

/// <summary>Reads and writes a flat state_dict (name → tensor) as PyTorch reads and writes it, through
/// TorchSharp.PyBridge. Writing is atomic; a file that is not a state_dict fails with one line.</summary>
public static class StateDictFile
{
    public static void Save(string path, IReadOnlyList<KeyValuePair<string, Tensor>> state, StateDictFormat format)
    {
        var cpu = state.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.cpu().contiguous())).ToList();
        AtomicFile.Write(path, stream =>
        {
            if (format == StateDictFormat.PyTorch)
            {
                // An ordered dict, so torch.load lists the keys in the network's order
                var ordered = new OrderedDictionary();
                foreach (var (key, tensor) in cpu) ordered.Add(key, tensor);
                PyTorchPickler.PickleStateDict(stream, ordered, leaveOpen: true);
            }
            else Safetensors.SaveStateDict(stream, cpu.ToDictionary(kv => kv.Key, kv => kv.Value), leaveOpen: true);
        });
    }

    public static Dictionary<string, Tensor> Load(string path, StateDictFormat format)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found");
        try
        {
            using var stream = File.OpenRead(path);
            return format == StateDictFormat.PyTorch
                ? Flatten(PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true), path)
                : Safetensors.LoadStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is not FileNotFoundException
                                  && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            string hint = format == StateDictFormat.PyTorch
                ? " (save it with torch.save(model.state_dict(), path))"
                : "";
            throw new InvalidDataException(
                $"{path}: not a readable {Describe(format)} state_dict{hint}: {FirstLine(e.Message)}");
        }
    }

    private static string Describe(StateDictFormat format) =>
        format == StateDictFormat.PyTorch ? "PyTorch" : "safetensors";

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>A state_dict, or a dict holding one under "state_dict" or "model" (training scripts' habit).</summary>
    private static Dictionary<string, Tensor> Flatten(Hashtable table, string path)
    {
        foreach (var wrapper in new[] { "state_dict", "model" })
            if (table[wrapper] is Hashtable inner) return Flatten(inner, path);
        var state = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
            if (entry.Key is string key && entry.Value is Tensor tensor) state[key] = tensor;
        if (state.Count == 0) throw new InvalidDataException($"{path}: holds no tensors");
        return state;
    }
}
