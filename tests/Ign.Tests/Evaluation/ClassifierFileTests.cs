using Ign.Evaluation;

namespace Ign.Tests.Evaluation;

public class ClassifierFileTests
{
    [Theory]
    [InlineData("mnist", "mnist")]
    [InlineData("fashion-mnist", "fashion-mnist")]
    [InlineData("idx", "mnist")]       // digits in MNIST's layout from elsewhere: scored as digits
    [InlineData("folder", "mnist")]
    public void A_model_is_scored_by_its_own_data_set_s_classifier_or_else_the_digit_one(string model, string scoring)
    {
        Assert.Equal(scoring, ClassifierFile.DatasetScoring(model));
        Assert.EndsWith($"{scoring}-lenet.ign", ClassifierFile.RelativePath(ClassifierFile.DatasetScoring(model)));
    }
}
