using System.Threading.Channels;
using Ign.Corruptions;
using Ign.Evaluation;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Web;

/// <summary>
/// What a projection request asks for: one image (1, C, S, S) in [-1, 1], a corruption, how many applications of f,
/// and optionally the pixels to keep (1, 1, S, S): then f only repaints where it is 0 (inpainting).
/// </summary>
/// <param name="Class">a conditional model's class to project toward; null: no class</param>
/// <param name="ImagesLike">the kind of image c(x) is, whose BatchNorm statistics the first application uses
/// (<see cref="ModelWorker.ImageKindFor"/>); null: the clean images'</param>
public sealed record ProjectionJob(Tensor Image, ICorruption? Corruption, int Steps, int Seed, Tensor? Known = null,
    int? Class = null, string? ImagesLike = null);

/// <summary>x, c(x), f(c(x)), ..., f^steps(c(x)), each (C, S, S), and how far c(x) is from the data (null when the
/// model's test set cannot be had to calibrate the score).</summary>
public sealed record ProjectionResult(Tensor Input, Tensor Corrupted, List<Tensor> Outputs, ImageScore? Score = null);

/// <summary>
/// The only code that touches the model. TorchSharp modules are not thread-safe, so one worker thread runs
/// every model call; projection requests that arrive while it is busy are stacked into one batch (BatchNorm in
/// running mode treats each image on its own, so batching changes no result).
/// </summary>
public sealed class ModelWorker : IDisposable
{
    private abstract record Work;
    private sealed record Project(ProjectionJob Job, TaskCompletionSource<ProjectionResult> Done) : Work;
    private sealed record Run(Func<TrainedModel, object> Body, TaskCompletionSource<object> Done) : Work;

    private readonly TrainedModel model;
    private readonly Channel<Work> queue = Channel.CreateBounded<Work>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Thread thread;
    private readonly int maxBatch;
    private readonly Lazy<DistanceScore?> distanceScore;

    public int Channels => model.Channels;
    public int ImageSize => model.ImageSize;
    public int Classes => model.Classes;
    /// <summary>The kinds of corrupted image the model has BatchNorm statistics of ("lowres", ...).</summary>
    public IReadOnlyList<string> ImageKinds => model.NormStatistics?.ImageKinds ?? [];
    public long ModelStep => model.Step;
    public string ModelDescription =>
        $"{model.Config.Model} width {model.Config.BaseWidth}, step {model.Step}, prior {model.Prior.Name}";
    public long BatchesRun { get; private set; }
    public long ImagesProjected { get; private set; }

    public ModelWorker(TrainedModel model, int maxBatch = 32)
    {
        (this.model, this.maxBatch) = (model, maxBatch);
        // calibrated on the model thread at the first projection: 1 000 test images, a second or two on a CPU
        distanceScore = new Lazy<DistanceScore?>(() =>
        {
            try { return OutOfDistribution.Calibrated(model, 1000, NormMode.Running); }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException) { return null; }
        });
        thread = new Thread(Loop) { IsBackground = true, Name = "ign-model" };
        thread.Start();
    }

    /// <summary>The kind of image a projection of <paramref name="corruption"/> is told it is given:
    /// <paramref name="asked"/> ("auto" or empty: the corruption's kind when the model has its statistics; "image":
    /// none); an unknown kind is refused with the kinds the model has.</summary>
    public string? ImageKindFor(string? asked, ICorruption? corruption)
    {
        string? kind = NormStatistics.ChooseImageKind(asked, corruption?.Spec, model.NormStatistics);
        if (kind is not null && !ImageKinds.Contains(kind))
            throw new ArgumentException("inputKind must be auto, image" +
                $"{string.Concat(ImageKinds.Select(k => ", " + k))}; this model has no statistics of '{kind}' images");
        return kind;
    }

    public async Task<ProjectionResult> ProjectAsync(ProjectionJob job, CancellationToken cancel = default)
    {
        var done = new TaskCompletionSource<ProjectionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.Writer.WriteAsync(new Project(job, done), cancel);
        return await done.Task;
    }

    /// <summary>Any other model call (generation, interpolation), run alone on the model thread.</summary>
    public async Task<T> RunAsync<T>(Func<TrainedModel, T> body, CancellationToken cancel = default) where T : class
    {
        var done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.Writer.WriteAsync(new Run(m => body(m), done), cancel);
        return (T)await done.Task;
    }

    /// <summary>The out-of-distribution score of one image (1, C, S, S); null without a calibration.</summary>
    public async Task<ImageScore?> ScoreAsync(Tensor image, CancellationToken cancel = default)
    {
        var scores = await RunAsync(_ => distanceScore.Value?.Score(image) ?? [], cancel);
        return scores.Length == 0 ? null : scores[0];
    }

    private void Loop()
    {
        var reader = queue.Reader;
        var pending = new List<Work>();
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            pending.Clear();
            while (pending.Count < maxBatch && reader.TryRead(out var item)) pending.Add(item);
            foreach (var run in pending.OfType<Run>())
            {
                try { run.Done.SetResult(WithScope(() => run.Body(model))); }
                catch (Exception e) { run.Done.SetException(e); }
            }
            var projections = pending.OfType<Project>().ToList();
            if (projections.Count > 0) ProjectBatch(projections);
        }
    }

    private static object WithScope(Func<object> body)
    {
        using var scope = NewDisposeScope();
        var result = body();
        return result;
    }

    private void ProjectBatch(List<Project> items)
    {
        // running statistics treat each image on its own, so the inpainting jobs can go in a batch of their own
        // and the jobs told of a kind of image in batches of that kind
        foreach (var group in items.GroupBy(p => (Inpaint: p.Job.Known is not null, p.Job.ImagesLike)))
            ProjectGroup(group.ToList(), group.Key.Inpaint, group.Key.ImagesLike);
    }

    private void ProjectGroup(List<Project> items, bool inpaint, string? imagesLike)
    {
        try
        {
            using var scope = NewDisposeScope();
            var corrupted = items.Select(p =>
            {
                using var generator = new Generator((ulong)p.Job.Seed);
                return p.Job.Corruption?.Apply(p.Job.Image, generator) ?? p.Job.Image;
            }).ToList();
            var steps = Enumerable.Range(1, items.Max(p => p.Job.Steps)).ToArray();
            var input = cat(corrupted, 0).to(model.Device);                                  // (n, C, S, S)
            // each (n, C, S, S)
            var known = inpaint ? cat(items.Select(p => p.Job.Known!).ToList(), 0).to(model.Device) : null;
            // (n) a class per image, the null class where none was asked; null for an unconditional model
            var classes = model.Classes == 0 ? null
                : tensor(items.Select(p => (long)(p.Job.Class ?? model.Classes)).ToArray(), device: model.Device);
            var outputs = model.Project(input, known, steps, NormMode.Running, classes, imagesLike: imagesLike);
            // |f(c) − c| per image, and |f²(c) − f(c)| when f ran twice: the score without another application
            var distance = DistanceScore.PerImage(outputs[0] - input);
            var gap = outputs.Count > 1 ? DistanceScore.PerImage(outputs[1] - outputs[0]) : null;
            var calibration = distanceScore.Value;
            BatchesRun++;
            ImagesProjected += items.Count;
            for (int i = 0; i < items.Count; i++)
            {
                var job = items[i].Job;
                var result = new ProjectionResult(
                    job.Image[0].cpu().DetachFromDisposeScope(), corrupted[i][0].cpu().DetachFromDisposeScope(),
                    outputs.Take(job.Steps).Select(o => o[i].cpu().DetachFromDisposeScope()).ToList(),
                    calibration is null ? null
                        : new ImageScore(distance[i], gap?[i] ?? double.NaN, calibration.Percentile(distance[i])));
                items[i].Done.SetResult(result);
            }
        }
        catch (Exception e)
        {
            foreach (var item in items) item.Done.TrySetException(e);
        }
    }

    public void Dispose()
    {
        queue.Writer.TryComplete();
        thread.Join(TimeSpan.FromSeconds(5));
        model.Dispose();
    }
}
