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

    /// <summary>Runs body with stdout captured: its exit code and what it printed.</summary>
    public static (int Code, string Output) CaptureOut(Func<int> body)
    {
        var output = new StringWriter();
        var old = Console.Out;
        Console.SetOut(output);
        try { return (body(), output.ToString()); }
        finally { Console.SetOut(old); }
    }
}
