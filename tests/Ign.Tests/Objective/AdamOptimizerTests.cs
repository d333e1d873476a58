using Ign.Objective;
using static TorchSharp.torch;
using Ign.Training;

namespace Ign.Tests.Objective;

public class AdamOptimizerTests
{
    [Fact]
    public void Matches_torch_Adam_over_several_steps()
    {
        manual_seed(11);
        var ours = TorchSharp.torch.nn.Linear(5, 3);
        var theirs = TorchSharp.torch.nn.Linear(5, 3);
        theirs.load_state_dict(ours.state_dict());
        var adam = new AdamOptimizer(ours.parameters(), 1e-2, 0.5, 0.999);
        var reference = optim.Adam(theirs.parameters(), lr: 1e-2, beta1: 0.5, beta2: 0.999);
        for (int step = 0; step < 5; step++)
        {
            var input = randn(16, 5);
            adam.ZeroGrad();
            ours.forward(input).square().mean().backward();
            adam.Update();
            reference.zero_grad();
            theirs.forward(input).square().mean().backward();
            reference.step();
        }
        foreach (var ((name, a), (_, b)) in ours.named_parameters().Zip(theirs.named_parameters()))
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-7), $"{name} differs from torch.optim.Adam");
        Assert.Equal(5, adam.Step);
    }
}
