using System.Text.Json;
using Ign.Training;
using Spectre.Console;

namespace Ign.Cli.Commands;

/// <summary>Turns the errors a user can cause (bad input, bad files, diverged training) into one line on stderr and exit code 1.</summary>
public static class CommandErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or NonFiniteLossException or JsonException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    public static void Info(string markup)
    {
        if (Console.IsOutputRedirected) Console.WriteLine(Markup.Remove(markup));
        else AnsiConsole.MarkupLine(markup);
    }
}
