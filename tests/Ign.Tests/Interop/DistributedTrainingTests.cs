using Ign.Interop;
using Ign.Models;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Interop;

/// <summary>interop/pytorch/train_ddp.py continues an ign export with two PyTorch processes and ign reads the result.
/// </summary>
public class DistributedTrainingTests
{
    [SkippableFact]
    public void Two_processes_continue_an_export_and_ign_reads_the_result()
    {
        PyTorchRunner.Require();
        string dir = TestData.TempDir(), checkpoint = Path.Combine(dir, "model.ckpt");
        string exported = Path.Combine(dir, "model.pt"), continued = Path.Combine(dir, "continued.pt");
        manual_seed(7);
        var f = (DcganMnist)ModelFactory.Create("dcgan-mnist", 1, 28, 16);
        PyTorchEquivalenceTests.ModelOnly(f, 16).Save(checkpoint);
        StateDictCheckpoint.Export(checkpoint, exported, StateDictFormat.PyTorch, half: false, WeightChoice.Live);

        var (exitCode, output) = PyTorchRunner.Run(
            $"train_ddp.py --model {exported} --out {continued} --steps 3 --batch 8 --processes 2 --log-every 1 " +
            $"--port {29600 + Environment.ProcessId % 300}");

        Assert.True(exitCode == 0, output);
        Assert.Contains("step 3 (3/3)", output);
        using var before = TrainedModel.Load(exported, CPU, WeightChoice.Live);
        using var after = TrainedModel.Load(continued, CPU, WeightChoice.Live);
        Assert.Equal(3, after.Step);
        Assert.Equal(before.Config, after.Config);
        var moved = after.Network.named_parameters()
            .Count(p => !p.parameter.Same(before.Network.named_parameters().Single(q => q.name == p.name).parameter));
        Assert.Equal(after.Network.parameters().Count(), moved); // every parameter took the three Adam steps
    }
}
