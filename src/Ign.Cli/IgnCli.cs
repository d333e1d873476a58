using System.CommandLine;
using Ign.Cli.Commands;

namespace Ign.Cli;

/// <summary>The `ign` command tree; Program.cs and the tests both enter here.</summary>
public static class IgnCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ign: train Idempotent Generative Networks and generate images in one step");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ProjectCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(IterateCommand.Create());
        root.Subcommands.Add(LatentCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(LoadTestCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(CurvesCommand.Create());
        root.Subcommands.Add(ClassifierCommand.Create());
        root.Subcommands.Add(EncoderCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ComposeCommand.Create());
        root.Subcommands.Add(AverageCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        return root;
    }

    // Ctrl-C is handled by the commands themselves (training saves a checkpoint first), so the parser must not kill the
    // process.
    public static int Run(string[] args) =>
        Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
