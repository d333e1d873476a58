// oneDNN (libtorch 2.10, oneDNN 3.7.1) computes some float32 convolutions wrongly on an AMD EPYC of family 26 whose
// hypervisor hides the cache sizes (CPUID leaves 4 and 0x8000001D read zero). Each case below is checked against
// libtorch's float64 path (im2col + GEMM; oneDNN has no float64 kernels) after filling freed memory with NaN.
// Run: dotnet run -c Release --project tools/onednn-repro [-- REPETITIONS]; compare with ONEDNN_MAX_CPU_ISA=AVX2.
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

int repetitions = args.Length > 0 ? int.Parse(args[0]) : 10;
Console.WriteLine($"libtorch via TorchSharp {typeof(torch).Assembly.GetName().Version}, {get_num_threads()} threads, " +
                  $"ONEDNN_MAX_CPU_ISA={Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "(unset)"}");
var cases = new (string Name, bool Transposed, long Batch, long In, long Out, long Kernel, long Stride, long Padding, long Size)[]
{
    ("conv 48→16 k4 s2 p1 on 14×14", false, 5, 48, 16, 4, 2, 1, 14),
    ("conv 1→4 k4 s2 p1 on 28×28", false, 5, 1, 4, 4, 2, 1, 28),
    ("conv 4→4 k3 s1 p0 on 5×5", false, 8, 4, 4, 3, 1, 0, 5),
    ("deconv 8→4 k3 s1 p0 on 5×5", true, 8, 8, 4, 3, 1, 0, 5),
    ("conv 64→128 k4 s2 p1 on 14×14 (aligned: expected right)", false, 5, 64, 128, 4, 2, 1, 14),
};
manual_seed(0);
foreach (var c in cases)
{
    int wrongY = 0, wrongDx = 0, wrongDw = 0;
    for (int r = 0; r < repetitions; r++)
    {
        using var scope = NewDisposeScope();
        for (int p = 10; p <= 22; p += 2) full([1L << p], float.NaN).Dispose(); // leave NaN where the next buffers come from
        var x = randn(c.Batch, c.In, c.Size, c.Size).requires_grad_();
        var w = (c.Transposed ? randn(c.In, c.Out, c.Kernel, c.Kernel) : randn(c.Out, c.In, c.Kernel, c.Kernel)) * 0.1;
        w.requires_grad_();
        Tensor Conv(Tensor input, Tensor weight) => c.Transposed
            ? F.conv_transpose2d(input, weight, strides: [c.Stride, c.Stride], padding: [c.Padding, c.Padding])
            : F.conv2d(input, weight, strides: [c.Stride, c.Stride], padding: [c.Padding, c.Padding]);
        var y = Conv(x, w);
        var x64 = x.detach().to(float64).requires_grad_();
        var w64 = w.detach().to(float64).requires_grad_();
        var y64 = Conv(x64, w64);
        var g = randn_like(y);
        y.backward([g]);
        y64.backward([g.to(float64)]);
        static bool Wrong(Tensor a, Tensor reference) =>
            !a.isfinite().all().item<bool>() || (a.to(float64) - reference).abs().max().item<double>() > 1e-4 * reference.abs().max().item<double>();
        wrongY += Wrong(y, y64) ? 1 : 0;
        wrongDx += Wrong(x.grad!, x64.grad!) ? 1 : 0;
        wrongDw += Wrong(w.grad!, w64.grad!) ? 1 : 0;
    }
    Console.WriteLine($"{c.Name,-58} wrong in {repetitions} runs: y {wrongY}, dL/dx {wrongDx}, dL/dw {wrongDw}");
}
