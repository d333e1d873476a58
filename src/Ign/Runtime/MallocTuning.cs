using System.Runtime.InteropServices;

namespace Ign.Runtime;

/// <summary>
/// glibc's default malloc returns libtorch's large tensors to the OS after every operation, so each
/// convolution page-faults its buffers back in. Raising the mmap and trim thresholds keeps them in the
/// heap: about +25 % training speed on this machine kind (../shared/TORCHSHARP-NOTES.md, section 2).
/// Call once, first thing in Main, before any tensor exists.
/// </summary>
public static partial class MallocTuning
{
    private const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    /// <summary>
    /// Applies the tuning on glibc Linux unless the MALLOC_*_ environment variables already set it; true if applied.
    /// </summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null) return false;
        try
        {
            return Mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1
                && Mallopt(M_TRIM_THRESHOLD, int.MaxValue) == 1
                && Mallopt(M_TOP_PAD, 256 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl): keep the defaults
        }
    }
}
