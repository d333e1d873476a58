using Ign.Cli;

namespace Ign.Tests.Cli;

/// <summary>Runs `ign` in-process with stderr captured; tests using it share the "console" collection so they do not run in parallel.</summary>
public static class CliRunner
{
    public static (int Code, string Error) Run(params string[] args) => Capture(() => IgnCli.Run(args));

    /// <summary>A model.ckpt of the tiny preset after 2 steps, trained once for the tests that only need a model.
    /// </summary>
    public static readonly Lazy<string> TinyModel = new(() =>
    {
        string dir = TestData.TempDir();
        var (code, error) = Run("train", "--preset", "tiny", "--steps", "2", "--out", dir);
        Assert.True(code == 0, error);
        return Path.Combine(dir, "model.ckpt");
    });

    /// <summary>Runs body with stderr captured: its exit code and what it wrote there.</summary>
    public static (int Code, string Error) Capture(Func<int> body) => Redirect(body, Console.Error, Console.SetError);

    /// <summary>Runs body with stdout captured: its exit code and what it printed.</summary>
    public static (int Code, string Output) CaptureOut(Func<int> body) => Redirect(body, Console.Out, Console.SetOut);

    private static (int Code, string Text) Redirect(Func<int> body, TextWriter old, Action<TextWriter> set)
    {
        var captured = new StringWriter();
        set(captured);
        try { return (body(), captured.ToString()); }
        finally { set(old); }
    }
}
