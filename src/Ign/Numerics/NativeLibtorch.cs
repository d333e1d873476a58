using System.Runtime.InteropServices;
using TorchSharp;

namespace Ign.Numerics;

/// <summary>
/// Two libtorch settings TorchSharp does not expose, reached through libtorch's exported C++ symbols. NNPACK cannot
/// initialise on CPUs whose cache sizes the hypervisor hides, and libtorch then logs "Could not initialize NNPACK!"
/// on every small convolution, straight to the terminal; switching NNPACK off where it is unusable changes no number
/// (it was never used) and silences that. Best effort: on a libtorch without these symbols nothing happens.
/// </summary>
public static class NativeLibtorch
{
    private delegate IntPtr GlobalContextFn();
    [return: MarshalAs(UnmanagedType.U1)] private delegate bool NnpackAvailableFn();
    private delegate void SetFlagFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    private static readonly Lazy<bool> NnpackSilenced = new(SilenceNnpack);

    /// <summary>
    /// True when NNPACK was found unusable and switched off; false when it works or cannot be reached.
    /// </summary>
    public static bool SilenceUnusableNnpack() => NnpackSilenced.Value;

    private static bool SilenceNnpack()
    {
        _ = torch.get_num_threads(); // loads libtorch through TorchSharp first
        if (!TryExport("libc10.so", "FLAGS_caffe2_log_level", out var logLevel)
            || !TryExport("libtorch_cpu.so", "_ZN2at6native17_nnpack_availableEv", out var available)
            || !TryExport("libtorch_cpu.so", "_ZN2at13globalContextEv", out var context)
            || !TryExport("libtorch_cpu.so", "_ZN2at7Context20setUserEnabledNNPACKEb", out var setEnabled))
            return false;
        int level = Marshal.ReadInt32(logLevel);
        Marshal.WriteInt32(logLevel, 2); // errors only, while asking: the question itself logs the warning once
        bool usable;
        try { usable = Marshal.GetDelegateForFunctionPointer<NnpackAvailableFn>(available)(); }
        finally { Marshal.WriteInt32(logLevel, level); }
        if (usable) return false;
        var globalContext = Marshal.GetDelegateForFunctionPointer<GlobalContextFn>(context)();
        Marshal.GetDelegateForFunctionPointer<SetFlagFn>(setEnabled)(globalContext, false);
        return true;
    }

    private static bool TryExport(string library, string symbol, out IntPtr address)
    {
        address = IntPtr.Zero;
        return OperatingSystem.IsLinux()
            && (NativeLibrary.TryLoad(library, typeof(torch).Assembly, DllImportSearchPath.AssemblyDirectory,
                    out var handle)
                || NativeLibrary.TryLoad(library, out handle)) // already loaded by TorchSharp: found by its soname
            && NativeLibrary.TryGetExport(handle, symbol, out address);
    }
}
