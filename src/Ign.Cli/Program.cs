using Ign.Cli;
using Ign.Runtime;

MallocTuning.Apply();
return IgnCli.Run(args);
