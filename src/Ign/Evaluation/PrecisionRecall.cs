using static TorchSharp.torch;

namespace Ign.Evaluation;

/// <summary>
/// Improved precision and recall (Kynkäänniemi et al., 2019). Each set's manifold is the union of balls
/// around its points, each ball's radius the distance to that point's k-th nearest neighbour in its own
/// set. Precision: the fraction of generated points inside the real manifold (are samples realistic?).
/// Recall: the fraction of real points inside the generated manifold (is the data's variety covered?).
/// </summary>
public static class PrecisionRecall
{
    // (N, D), (M, D)
    public static (double Precision, double Recall) Compute(Tensor real, Tensor generated, int k = 3, int chunk = 1024)
    {
        using var realRadii = KthNeighbourDistance(real.to(float32), k, chunk);
        return Compute(real, realRadii, generated, k, chunk);
    }

    /// <summary>
    /// The same with the real set's radii computed once, for scoring many generated sets against one real set.
    /// </summary>
    public static (double Precision, double Recall) Compute(Tensor real, Tensor realRadii, Tensor generated, int k = 3,
        int chunk = 1024)
    {
        using var scope = NewDisposeScope();
        var r = real.to(float32);
        var g = generated.to(float32);
        var generatedRadii = KthNeighbourDistance(g, k, chunk);  // (M)
        return (FractionInside(g, r, realRadii, chunk), FractionInside(r, g, generatedRadii, chunk));
    }

    /// <summary>For each row, the distance to its k-th nearest other row.</summary>
    public static Tensor KthNeighbourDistance(Tensor points, int k, int chunk = 1024) // (N, D) -> (N)
    {
        if (k < 1 || k >= points.shape[0])
            throw new ArgumentException($"k must be between 1 and {points.shape[0] - 1}, got {k}");
        var radii = new List<Tensor>();
        for (long start = 0; start < points.shape[0]; start += chunk)
        {
            using var scope = NewDisposeScope();
            var distances = cdist(points.narrow(0, start, Math.Min(chunk, points.shape[0] - start)), points); // (n, N)
            // k + 1 smallest: the first is the point itself at distance 0
            radii.Add(distances.topk(k + 1, dim: 1, largest: false, sorted: true).values.select(1, k)
                .MoveToOuterDisposeScope());
        }
        return cat(radii, 0);
    }

    /// <summary>Fraction of queries within some ball (centre, radius).</summary>
    public static double FractionInside(Tensor queries, Tensor centres, Tensor radii, int chunk = 1024)
    {
        long inside = 0;
        for (long start = 0; start < queries.shape[0]; start += chunk)
        {
            using var scope = NewDisposeScope();
            // (n, N)
            var distances = cdist(queries.narrow(0, start, Math.Min(chunk, queries.shape[0] - start)), centres);
            inside += (distances <= radii.unsqueeze(0)).any(1).sum().item<long>();
        }
        return (double)inside / queries.shape[0];
    }
}
