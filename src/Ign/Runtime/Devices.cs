using static TorchSharp.torch;

namespace Ign.Runtime;

public static class Devices
{
    /// <summary>"cpu" or "cuda[:n]" as a torch device, with a clear error when this build has no CUDA.</summary>
    public static Device Parse(string name)
    {
        if (name == "cpu") return CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException("CUDA is not available: this build uses the CPU libtorch "
                    + "(rebuild with -p:TorchBackend=cuda-12.8 on a machine with a GPU)");
            return new Device(name);
        }
        throw new ArgumentException($"unknown device '{name}' (cpu or cuda)");
    }
}
