using Ign.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ign.Training;

/// <summary>
/// Adam (Kingma &amp; Ba), the same update as torch.optim.Adam without weight decay or amsgrad,
/// written out so its state (step, first and second moments) is plain tensors we checkpoint exactly.
/// Every update is in place: no allocation per step beyond one temporary per parameter.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Tensor[] parameters;

    public double LearningRate { get; set; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public long Step { get; set; }
    public Tensor[] FirstMoments { get; }
    public Tensor[] SecondMoments { get; }

    public AdamOptimizer(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2,
        double epsilon = 1e-8)
    {
        this.parameters = parameters.ToArray();
        LearningRate = learningRate; Beta1 = beta1; Beta2 = beta2; Epsilon = epsilon;
        FirstMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        SecondMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Zero the gradients in place, keeping their buffers for the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }

    public void Update()
    {
        Step++;
        double bias1 = 1 - Math.Pow(Beta1, Step), bias2 = 1 - Math.Pow(Beta2, Step);
        double stepSize = LearningRate / bias1, sqrtBias2 = Math.Sqrt(bias2);
        using var _ = no_grad();
        using var scalars = new HeldScalars();
        Scalar beta1 = scalars.Of(Beta1), rest1 = scalars.Of(1 - Beta1),
            beta2 = scalars.Of(Beta2), rest2 = scalars.Of(1 - Beta2);
        Scalar sqrtBias2Scalar = scalars.Of(sqrtBias2), epsilon = scalars.Of(Epsilon),
            minusStepSize = scalars.Of(-stepSize), one = scalars.Of(1);
        for (int i = 0; i < parameters.Length; i++)
        {
            var g = parameters[i].grad;
            if (g is null) continue;
            FirstMoments[i].mul_(beta1).add_(g, alpha: rest1);
            SecondMoments[i].mul_(beta2).addcmul_(g, g, value: rest2);
            using var denominator = SecondMoments[i].sqrt();
            denominator.div_(sqrtBias2Scalar).add_(epsilon, one);
            parameters[i].addcdiv_(FirstMoments[i], denominator, value: minusStepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in FirstMoments.Concat(SecondMoments)) t.Dispose();
    }
}
