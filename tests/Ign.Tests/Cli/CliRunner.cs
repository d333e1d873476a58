using Ign.Cli;

namespace Ign.Tests.Cli;

/// <summary>Runs `ign` in-process with stderr captured; tests using it share the "console" collection so they do not run in parallel.</summary>
public static class CliRunner
{
    public static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var old = Console.Error;
        Console.SetError(error);
        try { return (IgnCli.Run(args), error.ToString()); }
        finally { Console.SetError(old); }
    }
}
