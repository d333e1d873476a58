using Ign.Data;
using Ign.Evaluation;
using static TorchSharp.torch;

namespace Ign.Tests.Data;

public class CanvasDigitsTests
{
    [Fact]
    public void Canvas_digits_are_the_same_for_a_seed_balanced_by_digit_and_read_as_digits_by_the_classifier()
    {
        var set = CanvasDigits.Render(perStyle: 6);
        Assert.Equal(set.Pixels, CanvasDigits.Render(perStyle: 6).Pixels);           // a fixed seed, a fixed set
        Assert.NotEqual(set.Pixels, CanvasDigits.Render(perStyle: 6, seed: 1).Pixels);
        var perDigit = set.Labels!.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, perDigit.Count);
        Assert.All(perDigit.Values, count => Assert.InRange(count, 12, 18));           // 2 or 3 ways × 6 drawings

        // read as the server reads the pad: the margin leaves a black border, and every drawing has ink
        for (int n = 0; n < set.Count; n++)
        {
            var image = set.Pixels.AsSpan(n * 784, 784);
            Assert.True(image.ToArray().Count(v => v > 127) > 10, $"drawing {n} is empty");
            for (int i = 0; i < 28; i++) Assert.True(image[i] < 64 && image[27 * 28 + i] < 64, $"drawing {n} touches the edge");
        }

        // the strokes make digits: the committed classifier (99 % on MNIST's test set) reads most of them
        var (classifier, _) = ClassifierFile.Load(ClassifierFile.DefaultPath(), CPU);
        using (classifier)
        {
            using var x = set.Batch(Enumerable.Range(0, set.Count).ToArray(), CPU);
            using var labels = tensor(set.Labels!.Select(l => (long)l).ToArray());
            double accuracy = new FeatureExtractor(classifier).Accuracy(x, labels);
            Assert.True(accuracy > 0.8, $"the classifier reads {accuracy:P1} of the drawings as their digit");
        }
    }
}
