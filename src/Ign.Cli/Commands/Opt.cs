using System.CommandLine;

namespace Ign.Cli.Commands;

/// <summary>Option declarations in one line each: name, default (where there is one) and help text.</summary>
internal static class Opt
{
    /// <summary>An option with a default value, which the help shows.</summary>
    public static Option<T> With<T>(string name, T defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>An option without a default: absent means null (false for a flag).</summary>
    public static Option<T> Of<T>(string name, string description) => new(name) { Description = description };

    /// <summary>An option that must be given.</summary>
    public static Option<T> Required<T>(string name, string description) =>
        new(name) { Description = description, Required = true };

    /// <summary>A repeatable option that also takes several values after one flag: --input a.png b.png.</summary>
    public static Option<string[]> Many(string name, string description, bool required = false) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true, Required = required };
}
