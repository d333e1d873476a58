using TorchSharp.Modules;

namespace Ign.Models;

/// <summary>
/// Turns a network's dropout layers off for a stretch of code and back on after, leaving BatchNorm in training mode:
/// <c>using (DropoutPause.On(f)) f.forward(x);</c>. Two images in one such pass see the same network, so their
/// difference is f's answer to what separates them, not two dropout masks.
/// </summary>
public sealed class DropoutPause : IDisposable
{
    private readonly TorchSharp.torch.nn.Module[] paused;

    private DropoutPause(TorchSharp.torch.nn.Module[] paused)
    {
        this.paused = paused;
        foreach (var layer in paused) layer.eval();
    }

    public static DropoutPause On(TorchSharp.torch.nn.Module f) =>
        new(f.modules().Where(m => m.training && m is Dropout or Dropout1d or Dropout2d or Dropout3d).ToArray());

    public void Dispose()
    {
        foreach (var layer in paused) layer.train();
    }
}
