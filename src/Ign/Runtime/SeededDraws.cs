using TorchSharp;
using static TorchSharp.torch;

namespace Ign.Runtime;

/// <summary>
/// Random draws from an optional seeded generator. A torch Generator is a CPU generator and CUDA kernels refuse it,
/// so a seeded draw is made on the CPU and then moved: the same seed gives the same numbers on every device.
/// </summary>
public static class SeededDraws
{
    public static Tensor Normal(long[] shape, Device device, Generator? generator,
        ScalarType dtype = ScalarType.Float32) =>
        generator is null ? randn(shape, dtype, device) : MoveTo(randn(shape, dtype, generator: generator), device);

    public static Tensor Uniform(long[] shape, Device device, Generator? generator,
        ScalarType dtype = ScalarType.Float32) =>
        generator is null ? rand(shape, dtype, device) : MoveTo(rand(shape, dtype, generator: generator), device);

    /// <summary>Integers in [low, high).</summary>
    public static Tensor Integers(long low, long high, long[] shape, Device device, Generator? generator) =>
        generator is null ? randint(low, high, shape, ScalarType.Int64, device)
                          : MoveTo(randint(low, high, shape, ScalarType.Int64, generator: generator), device);

    private static Tensor MoveTo(Tensor drawn, Device device)
    {
        if (device.type == DeviceType.CPU) return drawn;
        using (drawn) return drawn.to(device);
    }
}
