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
    private const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3, M_PERTURB = -6;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    /// <summary>
    /// Applies the tuning on glibc Linux unless the MALLOC_*_ environment variables already set it; true if applied.
    /// </summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null)
            return false;
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

    /// <summary>
    /// While the returned scope lives, glibc fills every block malloc or posix_memalign hands out with 0xFF bytes
    /// (NaN as float32; M_PERTURB = 0x100 makes the fill byte 0x100 ^ 0xFF), so a kernel that reads memory it never
    /// wrote sees NaN whatever the heap held before. Null where mallopt is not glibc's. For the convolution check only:
    /// every allocation pays a memset while it lasts.
    /// </summary>
    public static IDisposable? FillNewBlocksWithNaN()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return Mallopt(M_PERTURB, 0x100) == 1 ? new PerturbOff() : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private sealed class PerturbOff : IDisposable
    {
        public void Dispose() => Mallopt(M_PERTURB, 0);
    }
}
