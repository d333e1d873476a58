using System.CommandLine;
using Ign.Cli.Commands;
using Ign.Runtime;

MallocTuning.Apply();

var root = new RootCommand("ign: train Idempotent Generative Networks and generate images in one step");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());

// Ctrl-C is handled by the commands themselves (training saves a checkpoint first), so the parser must not kill the process.
return root.Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
