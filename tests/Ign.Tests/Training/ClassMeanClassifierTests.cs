using Ign.Data;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

public class ClassMeanClassifierTests
{
    [Fact]
    public void Its_logits_are_minus_the_mean_squared_distance_to_each_class_mean_over_tau()
    {
        // four 1×1×2 images of classes 0, 1, 0, 1: means (−0.5, 0.5) and (1, −1) after [0, 255] → [-1, 1]
        byte[] pixels = [0, 255, 255, 0, 127, 127, 255, 0];
        var data = new ImageDataset("tiny", pixels, 4, 1, 1, 2, [0, 1, 0, 1]);
        using var guide = new ClassMeanClassifier(data, 2, CPU);
        var images = data.Batch([0, 1, 2, 3]).flatten(1).data<float>().ToArray();
        double[][] means =
        [
            [(images[0] + images[4]) / 2, (images[1] + images[5]) / 2],
            [(images[2] + images[6]) / 2, (images[3] + images[7]) / 2],
        ];
        var x = tensor(new float[] { 0.2f, -0.7f, -1f, 1f }, [2, 1, 1, 2]);
        var logits = guide.forward(x).data<float>().ToArray();
        float[][] rows = [[0.2f, -0.7f], [-1f, 1f]];
        for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++)
        {
            double meanSquare = ((rows[i][0] - means[k][0]) * (rows[i][0] - means[k][0])
                                 + (rows[i][1] - means[k][1]) * (rows[i][1] - means[k][1])) / 2;
            Assert.Equal(-meanSquare / ClassMeanClassifier.Temperature, logits[i * 2 + k], 3);
        }
        Assert.True(logits[0] < logits[1]);   // (0.2, −0.7) is nearer class 1's mean
        Assert.True(logits[2] > logits[3]);   // (−1, 1) nearer class 0's
        Assert.Throws<ArgumentException>(() => new ClassMeanClassifier(data, 3, CPU));   // class 2 has no image
    }
}
