using Ign.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ign.Numerics;

/// <summary>
/// Convolutions as the matrix products they are: unfold (im2col) and a matmul, or a matmul and fold (col2im) for a
/// transposed one. Same mathematics as libtorch's conv2d, none of its convolution kernels: the path a shape takes
/// where <see cref="ConvolutionCheck"/> found libtorch's kernel wrong on this CPU. Autograd differentiates it as usual.
/// </summary>
public static class UnfoldConvolution
{
    public static Tensor Apply(ConvShape shape, Tensor x, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], groups = shape.Groups, kernelArea = shape.KernelHeight * shape.KernelWidth;
        long inPerGroup = shape.InChannels / groups, outPerGroup = shape.OutChannels / groups;
        var kernel = (shape.KernelHeight, shape.KernelWidth);
        var stride = (shape.Stride, shape.Stride);
        var padding = (shape.Padding, shape.Padding);
        Tensor y;
        if (shape.Kind == ConvKind.Convolution)
        {
            var columns = F.unfold(x, kernel, padding: padding, stride: stride)      // (B, in·kh·kw, Ho·Wo)
                // (B, G, in/G·kh·kw, Ho·Wo)
                .view(batch, groups, inPerGroup * kernelArea, -1);
            // (B, G, out/G, Ho·Wo)
            y = weight.reshape(groups, outPerGroup, inPerGroup * kernelArea).matmul(columns)
                .view(batch, shape.OutChannels, shape.OutputHeight, shape.OutputWidth);           // (B, out, Ho, Wo)
        }
        else
        {
            // (B, G, in/G, H·W)
            var pixels = x.reshape(batch, groups, inPerGroup, shape.Height * shape.Width);
            var columns = weight.reshape(groups, inPerGroup, outPerGroup * kernelArea).transpose(1, 2)
                // (B, G, out/G·kh·kw, H·W)
                .matmul(pixels)
                .view(batch, shape.OutChannels * kernelArea, shape.Height * shape.Width); // (B, out·kh·kw, H·W)
            y = F.fold(columns, (shape.OutputHeight, shape.OutputWidth), kernel, padding: padding, stride: stride);
        }
        if (bias is not null)
        {
            using var scalars = new HeldScalars();
            y = y.add(bias.view(1, -1, 1, 1), scalars.Of(1.0));
        }
        return y.MoveToOuterDisposeScope();
    }
}
