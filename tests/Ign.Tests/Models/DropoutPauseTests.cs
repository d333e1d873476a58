using Ign.Models;
using Ign.Objective;
using Ign.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ign.Tests.Models;

public class DropoutPauseTests
{
    [Fact]
    public void Paused_dropout_makes_two_passes_equal_while_BatchNorm_keeps_its_batch_statistics()
    {
        manual_seed(3);
        var f = ModelFactory.Create("dcgan-mnist", 1, 28, 8);
        var x = rand(6, 1, 28, 28) * 2 - 1;                                                   // (6, 1, 28, 28)
        f.train();
        Assert.False(f.forward(x).allclose(f.forward(x)));                                    // two dropout masks
        Tensor paused;
        using (DropoutPause.On(f))
        {
            paused = f.forward(x);
            Assert.True(paused.allclose(f.forward(x), rtol: 0, atol: 0));
            Assert.All(f.modules().OfType<BatchNorm2d>(), norm => Assert.True(norm.training));
        }
        Assert.All(f.modules().OfType<Dropout2d>(), drop => Assert.True(drop.training));        // back on after
        f.eval();
        Assert.False(paused.allclose(f.forward(x)));                                           // not eval mode
    }

    [Fact]
    public void No_dropout_training_changes_the_step_and_leaves_the_layers_as_they_were()
    {
        LossValues First(bool noDropout)
        {
            manual_seed(4);
            var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 1, NoDropout = noDropout };
            using var trainer = new Trainer(config, TestData.RandomImages(), TestData.TempDir());
            var losses = trainer.TrainStep(TestData.RandomImages().Batch([0, 1, 2, 3, 4, 5, 6, 7], CPU));
            Assert.All(trainer.Network.modules().OfType<Dropout2d>(), drop => Assert.True(drop.training));
            return losses;
        }

        Assert.Equal(First(false).Reconstruction, First(false).Reconstruction);               // the seed fixes it
        Assert.NotEqual(First(false).Reconstruction, First(true).Reconstruction);
    }
}
