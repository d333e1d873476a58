using Ign.Models;
using TorchSharp;
using Ign.Objective;
using Ign.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ign.Tests.Interop;

/// <summary>
/// What interop/pytorch/equivalence.py computes, computed here: f(x) with running and with batch statistics, the
/// paper's losses (tanh clamp), the gradient of the total and the parameters after one Adam step (lr 1e-3, betas
/// 0.5 and 0.999), dropout off, in the dtype of x and z; keys in seed 002's names. f ends one step later. Held
/// to the script's tolerances: everything within 1e-9 in float64; f(x) and the losses within 1e-5 in float32
/// (its docstring says why float32 gradients and Adam steps are not held to that).
/// </summary>
public static class EquivalenceValues
{
    public static Dictionary<string, Tensor> Of(DcganMnist f, int width, Tensor x, Tensor z)
    {
        var names = Ign.Interop.SeedNames.Of(f);
        var values = new Dictionary<string, Tensor>();
        f.to(x.dtype);
        DropoutOff(f, train: false);
        using (no_grad()) values["f_running"] = f.forward(x);
        DropoutOff(f, train: true);
        using (no_grad()) values["f_batch"] = f.forward(x);

        using var frozen = new FrozenCopy(f, new DcganMnist(baseWidth: width).to(x.dtype));
        DropoutOff(frozen.Module, train: true);
        var losses = new IgnObjective(ObjectiveConfig.Paper).Compute(f, frozen.Module, x, z);
        values["loss.rec"] = losses.Reconstruction.detach().reshape(1);
        values["loss.idem"] = losses.Idempotence.detach().reshape(1);
        values["loss.tight"] = losses.Tightness.detach().reshape(1);
        values["loss.total"] = losses.Total.detach().reshape(1);
        using var adam = new AdamOptimizer(f.parameters(), 1e-3, 0.5, 0.999);
        losses.Total.backward();
        foreach (var (name, p) in f.named_parameters()) values[$"grad.{names[name]}"] = p.grad!.detach().clone();
        adam.Update();
        foreach (var (name, p) in f.named_parameters()) values[$"adam.{names[name]}"] = p.detach().clone();
        return values;
    }

    /// <summary>Relative errors max |a − b| / max |b| of every value of <paramref name="reference"/>.</summary>
    public static Dictionary<string, double> Errors(Dictionary<string, Tensor> ours, Dictionary<string, Tensor> reference) =>
        reference.ToDictionary(kv => kv.Key, kv =>
        {
            double scale = Math.Max(kv.Value.abs().max().to(float64).item<double>(), 1e-30);
            return (ours[kv.Key].to(float64) - kv.Value.to(float64)).abs().max().item<double>() / scale;
        });

    /// <summary>The groups (f_running, f_batch, loss, grad, adam) whose largest error passes its tolerance.</summary>
    public static Dictionary<string, double> Failures(Dictionary<string, double> errors, ScalarType dtype)
    {
        var groups = errors.GroupBy(kv => kv.Key.Split('.')[0]).ToDictionary(g => g.Key, g => g.Max(kv => kv.Value));
        double ToleranceOf(string group) => dtype == ScalarType.Float64 ? 1e-9
            : group is "f_running" or "f_batch" or "loss" ? 1e-5 : double.PositiveInfinity;
        return groups.Where(kv => kv.Value > ToleranceOf(kv.Key)).ToDictionary();
    }

    private static void DropoutOff(Module f, bool train)
    {
        f.train(train);
        foreach (var dropout in f.modules().OfType<Dropout2d>()) dropout.eval();
    }
}
