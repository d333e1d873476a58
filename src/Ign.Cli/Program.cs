using Ign.Cli;
using Ign.Numerics;
using Ign.Runtime;

MallocTuning.Apply();
ConvolutionGuard.Notice += line => Console.Error.WriteLine(line);
return IgnCli.Run(args);
