using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

public class TrainingCorruptionsTests
{
    [Fact]
    public void The_first_rows_of_z_become_the_step_s_corruption_of_x_and_the_rest_stay()
    {
        var x = rand(8, 1, 28, 28) * 2 - 1;
        var z = randn(8, 1, 28, 28);

        manual_seed(5);
        var mixed = TrainingCorruptions.Mix(z, x, 0.25, step: 7);
        manual_seed(5);
        var expected = TrainingCorruptions.Cycle[7 % TrainingCorruptions.Cycle.Count].Apply(x.narrow(0, 0, 2));

        Assert.Equal([8L, 1, 28, 28], mixed.shape);
        Assert.True(mixed.narrow(0, 0, 2).Same(expected));
        Assert.True(mixed.narrow(0, 2, 6).Same(z.narrow(0, 2, 6)));
        Assert.Same(z, TrainingCorruptions.Mix(z, x, 0, step: 7));                         // off: z itself
    }

    [Fact]
    public void Training_with_corrupted_z_takes_finite_steps_that_differ_from_plain_ones()
    {
        float Loss(double fraction)
        {
            var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 2, CorruptedInZ = fraction };
            using var trainer = new Trainer(config, TestData.RandomImages(), TestData.TempDir());
            trainer.TrainStep(TestData.RandomImages().Batch([0, 1, 2, 3, 4, 5, 6, 7], CPU));
            var second = trainer.TrainStep(TestData.RandomImages().Batch([8, 9, 10, 11, 12, 13, 14, 15], CPU));
            Assert.True(second.AllFinite);
            return second.Idempotence;
        }

        Assert.NotEqual(Loss(0), Loss(0.5));
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentException>(() =>
            (TrainConfig.FromPreset("tiny") with { CorruptedInZ = 1.5 }).Validate()).Message);
    }

    [Fact]
    public void A_run_s_off_data_cycle_is_the_one_it_names_or_the_default()
    {
        Assert.Same(TrainingCorruptions.OffDataCycle, TrainingCorruptions.OffDataCycleOf(""));
        var cycle = TrainingCorruptions.OffDataCycleOf("noise:sigma=1.5, blur:sigma=1");
        Assert.Equal(2, cycle.Count);
        using var x = Ign.Tests.TestData.RandomImages(4).First(4);
        var second = TrainingCorruptions.Take(x, 0.5, step: 3, cycle);     // step 3: the second, deterministic one
        Assert.True(second.Corrupted.Same(cycle[1].Apply(x.narrow(0, 0, 2))));
        var tiny = TrainConfig.FromPreset("tiny");
        Assert.Throws<ArgumentException>((tiny with { OffDataCorruptions = "nonsense:1" }).Validate);
    }
}
