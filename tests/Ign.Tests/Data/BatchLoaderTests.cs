using Ign.Data;
using static TorchSharp.torch;

namespace Ign.Tests.Data;

public class BatchLoaderTests
{
    [Fact]
    public void Batches_are_in_range_shuffled_drop_last_and_resume_at_any_step()
    {
        var data = TestData.RandomImages(70);
        var loader = new BatchLoader(data, 16, seed: 3);
        Assert.Equal(4, loader.StepsPerEpoch);
        var firstSix = loader.From(0, CPU).Take(6).ToList();
        Assert.All(firstSix, b => Assert.Equal([16L, 1, 28, 28], b.shape));
        Assert.True(firstSix[0].min().item<float>() >= -1 && firstSix[0].max().item<float>() <= 1);
        var resumed = loader.From(5, CPU).First();
        Assert.True(resumed.Same(firstSix[5]));
        Assert.False(loader.EpochOrder(0).SequenceEqual(loader.EpochOrder(1)));
        Assert.False(loader.EpochOrder(0).SequenceEqual(Enumerable.Range(0, 70)));
        for (int i = 0; i < 6; i++) // every batch kept, none overwritten by the loader's reused buffers
            Assert.True(firstSix[i].Same(data.Batch(loader.EpochOrder(i / 4)[(i % 4 * 16)..(i % 4 * 16 + 16)])));
    }

    [Fact]
    public void The_shuffle_is_the_same_in_every_process()
    {
        // Pinned: a per-process random hash (HashCode.Combine) once seeded it, so a resumed run saw another order.
        var loader = new BatchLoader(TestData.RandomImages(70), 16, seed: 3);
        Assert.Equal([66, 56, 0, 4, 42, 26, 38, 67, 44, 2], loader.EpochOrder(0)[..10]);
        Assert.Equal([39, 61, 66, 56, 3, 11, 47, 59, 43, 64], loader.EpochOrder(7)[..10]);
    }

    [Fact]
    public void Pixel_bytes_map_to_minus_one_and_one()
    {
        var data = new ImageDataset("t", [0, 255, 0, 255], 1, 1, 2, 2);
        Assert.Equal([-1f, 1f, -1f, 1f], data.First().data<float>().ToArray());
    }
}
