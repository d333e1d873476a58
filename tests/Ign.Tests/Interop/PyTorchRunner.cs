using System.Diagnostics;

namespace Ign.Tests.Interop;

/// <summary>
/// Debian's PyTorch (/usr/bin/python3 with python3-torch) running the scripts under interop/pytorch/. Tests that
/// need it are skipped where it is missing, unless IGN_REQUIRE_TORCH=1 (set by .ci/run, which installs it).
/// </summary>
public static class PyTorchRunner
{
    private static readonly Lazy<bool> Installed = new(() => Run("-c \"import torch\"").ExitCode == 0);

    public static string ScriptFolder { get; } = Path.Combine(RepositoryRoot(), "interop", "pytorch");

    /// <summary>Skips the test where PyTorch is missing (fails instead under IGN_REQUIRE_TORCH=1).</summary>
    public static void Require()
    {
        if (Environment.GetEnvironmentVariable("IGN_REQUIRE_TORCH") == "1")
            Assert.True(Installed.Value, "PyTorch not found: apt-get install python3-torch");
        Skip.IfNot(Installed.Value, "Debian's python3-torch is not installed; .ci/run installs it");
    }

    /// <summary>Runs /usr/bin/python3 with the arguments in the scripts' folder; its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", arguments)
        {
            WorkingDirectory = ScriptFolder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ign.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository (Ign.slnx) is not above the test binaries");
    }
}
