using System.CommandLine;
using Ign.Training;

namespace Ign.Cli.Commands;

/// <summary>
/// `ign compose`: one class-conditional model whose null class is an unconditional model and whose classes are a
/// conditional model's (<see cref="ClassComposition"/>).
/// </summary>
public static class ComposeCommand
{
    private static readonly Option<string> NullClass = Opt.Required<string>("--null-class",
        "the unconditional model that \"no class\" is, e.g. models/ign-mnist.ckpt");
    private static readonly Option<string> Classes = Opt.Required<string>("--classes",
        "the class-conditional model the classes are, e.g. models/ign-mnist-cond.ckpt (same architecture, width and " +
        "prior)");
    private static readonly Option<string> Out = Opt.Required<string>("--out", "the composed model-only .ckpt to write");

    public static Command Create()
    {
        var command = new Command("compose",
            "join an unconditional model (the null class) and a conditional one (the classes) into one conditional " +
            "model: each computes exactly as before, at two networks' parameters");
        foreach (var o in new Option[] { NullClass, Classes, Out }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string nullClass = parse.GetValue(NullClass)!, classes = parse.GetValue(Classes)!;
            string destination = parse.GetValue(Out)!;
            foreach (string input in new[] { nullClass, classes })
            {
                if (!File.Exists(input)) throw new ArgumentException($"no such checkpoint '{input}'");
                if (Path.GetFullPath(input) == Path.GetFullPath(destination))
                    throw new ArgumentException("--out must differ from --null-class and --classes");
            }
            var dropped = ClassComposition.Compose(nullClass, classes, destination);
            if (dropped.Count > 0)
                CommandErrors.Info($"[yellow]left out the BatchNorm sets of {string.Join(", ", dropped)} images[/]: " +
                                   "only one of the two models has them");
            CommandErrors.Info($"wrote [blue]{destination}[/] ({new FileInfo(destination).Length / 1e6:F1} MB): " +
                               $"no class is {nullClass}, the classes are {classes}");
            return 0;
        }));
        return command;
    }
}
