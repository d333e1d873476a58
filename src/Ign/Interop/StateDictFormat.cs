namespace Ign.Interop;

/// <summary>The files PyTorch users exchange a state_dict in.</summary>
public enum StateDictFormat
{
    /// <summary><c>torch.save(model.state_dict(), "model.pt")</c>: a zip of a pickle and raw tensor storages.</summary>
    PyTorch,

    /// <summary>safetensors: an 8-byte length, a JSON index, the raw tensors; no code runs when it is read.</summary>
    Safetensors,
}

public static class StateDictFormats
{
    /// <summary>The format a file name's extension says (.pt, .pth, .safetensors), or null for anything else.</summary>
    public static StateDictFormat? OfFile(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pt" or ".pth" => StateDictFormat.PyTorch,
        ".safetensors" => StateDictFormat.Safetensors,
        _ => null,
    };

    public static StateDictFormat Parse(string text) => text.ToLowerInvariant() switch
    {
        "pytorch" or "pt" => StateDictFormat.PyTorch,
        "safetensors" => StateDictFormat.Safetensors,
        _ => throw new ArgumentException($"unknown state_dict format '{text}' (known: pytorch, safetensors)"),
    };
}
