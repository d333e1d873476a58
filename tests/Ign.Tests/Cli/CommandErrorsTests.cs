using Ign.Cli.Commands;
using static TorchSharp.torch;

namespace Ign.Tests.Cli;

public class CommandErrorsTests
{
    private static (int Code, string Error) Capture(Func<int> body) => CliRunner.Capture(() => CommandErrors.Run(body));

    [Fact]
    public void A_libtorch_failure_is_one_line_with_its_first_line_and_exit_code_2()
    {
        var (code, error) = Capture(() =>
        {
            using var a = ones(2, 3);
            using var product = a.mm(a); // libtorch refuses (2×3)·(2×3), with its native stack in the message
            return 0;
        });
        Assert.Equal(2, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: libtorch failed: ", lines[0]);
        Assert.Contains("cannot be multiplied", lines[0]);
        Assert.DoesNotContain("frame #", error);
    }

    [Fact]
    public void A_user_error_is_one_line_and_exit_code_1()
    {
        var (code, error) = Capture(() => throw new InvalidDataException("run.ckpt is truncated"));
        Assert.Equal(1, code);
        Assert.Equal("error: run.ckpt is truncated", error.Trim());
    }
}
