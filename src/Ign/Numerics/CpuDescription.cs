using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Ign.Numerics;

/// <summary>What decides which convolution kernels libtorch runs here: the CPU, its vector extensions, oneDNN's
/// ISA cap (ONEDNN_MAX_CPU_ISA, as the native side sees it) and the libtorch build. Read once.</summary>
public static partial class CpuDescription
{
    public const string LibtorchVersion = "2.10.0";

    private static readonly Lazy<(string Model, HashSet<string> Flags)> Info = new(ReadCpuInfo);

    /// <summary>
    /// "model name" of /proc/cpuinfo with family and model numbers (hypervisors often shorten the name).
    /// </summary>
    public static string Model => Info.Value.Model;

    public static IReadOnlySet<string> Flags => Info.Value.Flags;

    /// <summary>oneDNN's ISA cap as libtorch reads it: from the native environment, not .NET's copy of it.</summary>
    public static string? IsaCap => NativeGetenv("ONEDNN_MAX_CPU_ISA") ?? NativeGetenv("DNNL_MAX_CPU_ISA");

    /// <summary>
    /// The widest instruction set oneDNN will use: the best the CPU has, lowered to the cap when one is set.
    /// </summary>
    public static string OneDnnIsa
    {
        get
        {
            string best = BestIsa();
            return IsaCap is { } cap ? $"{best}, capped at {cap.ToLowerInvariant()}" : best;
        }
    }

    public static bool HasAvx512 => Flags.Contains("avx512f");

    /// <summary>
    /// Everything a verdict depends on besides the shape, as one string: the key of the verdict cache.
    /// </summary>
    public static string Fingerprint
    {
        get
        {
            var flags = string.Join(' ', Flags.Order());
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(flags)))[..12];
            return $"{Model} | flags {hash} | libtorch {LibtorchVersion} | isa {IsaCap ?? "default"} | " +
                   $"threads {TorchSharp.torch.get_num_threads()} | check v{ConvolutionCheck.Version}";
        }
    }

    private static string BestIsa()
    {
        bool Has(params string[] names) => names.All(Flags.Contains);
        if (Has("amx_tile", "amx_bf16")) return "avx512_core_amx";
        if (Has("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16")) return "avx512_core_bf16";
        if (Has("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni")) return "avx512_core_vnni";
        if (Has("avx512f", "avx512bw", "avx512vl", "avx512dq")) return "avx512_core";
        if (Has("avx2", "avx_vnni")) return "avx2_vnni";
        if (Has("avx2")) return "avx2";
        if (Has("avx")) return "avx";
        return Has("sse4_1") ? "sse41" : "none (not x86-64, or no /proc/cpuinfo)";
    }

    private static (string, HashSet<string>) ReadCpuInfo()
    {
        try
        {
            var fields = File.ReadLines("/proc/cpuinfo").TakeWhile(line => line.Length > 0)
                .Select(line => line.Split(':', 2)).Where(parts => parts.Length == 2)
                .GroupBy(parts => parts[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
            string name = fields.GetValueOrDefault("model name", "unknown CPU");
            string model = fields.TryGetValue("cpu family", out var family)
                && fields.TryGetValue("model", out var number)
                ? $"{name} (family {family}, model {number})" : name;
            return (model,
                fields.GetValueOrDefault("flags", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet());
        }
        catch (IOException)
        {
            return (RuntimeInformation.ProcessArchitecture.ToString(), []);
        }
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr Getenv(string name);

    private static string? NativeGetenv(string name)
    {
        if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(name);
        try
        {
            var value = Getenv(name);
            return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.GetEnvironmentVariable(name);
        }
    }
}
