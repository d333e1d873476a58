using Ign.Cli;

namespace Ign.Tests.Cli;

/// <summary>Runs `ign` in-process with stderr captured; tests using it share the "console" collection so they do not run in parallel.</summary>
public static class CliRunner
{
    public static (int Code, string Error) Run(params string[] args) => Capture(() => IgnCli.Run(args));

    /// <summary>Runs body with stderr captured: its exit code and what it wrote there.</summary>
    public static (int Code, string Error) Capture(Func<int> body)
    {
        var error = new StringWriter();
        var old = Console.Error;
        Console.SetError(error);
        try { return (body(), error.ToString()); }
        finally { Console.SetError(old); }
    }
}
