using System.Runtime.InteropServices;
using System.Text.Json;
using Ign.Numerics;
using Ign.Training;
using Spectre.Console;

namespace Ign.Cli.Commands;

/// <summary>
/// Turns the errors a user can cause (bad input, bad files, diverged training) into one line on stderr and exit code 1.
/// A failure inside libtorch (TorchSharp's ExternalException, whose message carries the native stack) also gets one
/// line, its first, and exit code 2; IGN_NATIVE_TRACE=1 prints the whole message for a bug report.
/// </summary>
public static class CommandErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException
            or DirectoryNotFoundException or NonFiniteLossException or NumericsException or JsonException
            or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (ExternalException e)
        {
            string firstLine = e.Message
                .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault() ?? e.GetType().Name;
            bool trace = Environment.GetEnvironmentVariable("IGN_NATIVE_TRACE") == "1";
            Console.Error.WriteLine($"error: libtorch failed: {firstLine}" +
                (trace ? "" : " (IGN_NATIVE_TRACE=1 prints its native stack; checkpoints already written are intact)"));
            if (trace) Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    public static void Info(string markup)
    {
        if (Console.IsOutputRedirected) Console.WriteLine(Markup.Remove(markup));
        else AnsiConsole.MarkupLine(markup);
    }
}
