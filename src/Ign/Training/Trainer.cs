using System.Diagnostics;
using Ign.Corruptions;
using Ign.Data;
using Ign.Imaging;
using Ign.IO;
using Ign.Models;
using Ign.Objective;
using Ign.Priors;
using Ign.Runtime;
using Ign.Sampling;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Ign.Normalization;

namespace Ign.Training;

/// <summary>
/// Trains f with the IGN objective and writes a run folder:
///   config.json   the full config and seed        metrics.jsonl  one line per step
///   checkpoint.ckpt  resumable (model, Adam, prior, RNG, step)   model.ckpt  weights, prior and config at the end
///   samples/step_NNNNNN.png  fixed z and f(z), f²(z), f³(z)       loss.png  loss curves
///   samples.jsonl  the samples' spread and colour at each grid (for <c>ign curves</c>)
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly TrainConfig config;
    private readonly Device device;
    private readonly Module<Tensor, Tensor> f;
    private readonly FrozenCopy frozen;
    private readonly IPrior prior;
    private readonly AdamOptimizer adam;
    private readonly BatchLoader loader;
    private readonly Tensor fixedNoise;
    private readonly double dataSpread; // the training images' spread, what the samples' is measured against
    private readonly double? dataColour; // and their colour (null for grey data)
    private readonly ImageDataset data;
    private readonly WeightAverage? average;
    private readonly Tensor? dataMean;   // (C, H, W), the λ_m term's target; null when the term is off
    private readonly IReadOnlyList<ICorruption> offDataCycle; // what the off-data terms' rows are corrupted by
    private readonly Module<Tensor, Tensor>? classGuide;      // λ_g's frozen classifier; null when the term is off

    public string RunDirectory { get; }
    public long Step { get; private set; }
    public long TotalSteps { get; }
    public int StepsPerEpoch => loader.StepsPerEpoch;
    public Module<Tensor, Tensor> Network => f;
    /// <summary>The network used for samples and model.ckpt: the weight average when EMA is on, else f.</summary>
    public Module<Tensor, Tensor> SamplingNetwork => average?.Module ?? f;
    public IPrior Prior => prior;
    public AdamOptimizer Optimizer => adam;
    public string CheckpointPath => Path.Combine(RunDirectory, "checkpoint.ckpt");
    public string KeptCheckpointPath(long step) => Path.Combine(RunDirectory, $"checkpoint-step{step:D6}.ckpt");

    public Trainer(TrainConfig config, ImageDataset trainSet, string runDirectory, Checkpoint? resumeFrom = null)
    {
        config.Validate();
        if (config.Conditional && config.Classes == 0) config = config with { Classes = ClassCount(trainSet) };
        (this.config, data, RunDirectory) = (config, trainSet, runDirectory);
        device = Ign.Runtime.Devices.Parse(config.Device);
        if (config.Threads > 0) set_num_threads(config.Threads);
        manual_seed(config.Seed);

        // f, and the same architecture for the frozen copy and the weight average
        Module<Tensor, Tensor> Network() => ModelFactory
            .Create(config.Model, trainSet.Channels, trainSet.Height, config.BaseWidth, config.ClassOptionsOf())
            .to(device);
        f = Network();
        frozen = new FrozenCopy(f, Network());
        if (config.EmaDecay > 0)
        {
            // the twin's throw-away initialisation must not consume random numbers: with or without --ema, the same
            // seed trains the same f
            using var rng = get_rng_state();
            average = new WeightAverage(f, Network(), config.EmaDecay);
            set_rng_state(rng);
        }
        offDataCycle = TrainingCorruptions.OffDataCycleOf(config.OffDataCorruptions);
        if (config.Objective.LambdaClassGuide > 0)
            classGuide = Training.ClassGuide.For(config.ClassGuide!, trainSet, config.Dataset, config.Classes, device);
        adam = new AdamOptimizer(TrainedParameters(), config.LearningRate, config.Beta1, config.Beta2,
            config.AdamEpsilon);
        loader = new BatchLoader(trainSet, config.BatchSize, config.Seed);
        TotalSteps = config.MaxSteps ?? (long)config.Epochs * loader.StepsPerEpoch;

        // one copy of at most 2^28 floats (1 GiB) serves the prior's fit and the λ_m target: all of MNIST, about
        // 21 800 colour 64×64 images
        using (var images = resumeFrom is null || config.Objective.LambdaMean > 0
                   ? trainSet.First((int)Math.Min(trainSet.Count, (1L << 28) / trainSet.PixelsPerImage)) : null)
        {
            // (C, H, W)
            if (config.Objective.LambdaMean > 0) dataMean = images!.mean([0L]).to(device).DetachFromDisposeScope();
            prior = resumeFrom is null
                ? PriorFactory.Fit(config.Prior, images!)
                : PriorFactory.Restore(resumeFrom.Header.Prior, trainSet.Channels, trainSet.Height, trainSet.Width,
                    resumeFrom.PriorStatistics);
        }
        if (resumeFrom is not null) Restore(resumeFrom);
        else if (config.InitFrom is not null) InitialiseFrom(config.InitFrom);
        using (var g = new Generator((ulong)config.Seed + 1))
            fixedNoise = prior.Sample(config.SampleCount, device, g).DetachFromDisposeScope();
        using (var reference = trainSet.First((int)Math.Min(trainSet.Count, Math.Max(2, config.SampleCount))))
        {
            dataSpread = SampleSpread.Of(reference);
            dataColour = SampleSpread.ColourOf(reference);
        }
    }

    /// <summary>What the optimizer moves: every weight of f, or for a class adapter only its class tables (the
    /// rest stop requiring gradients, which spares their backward pass).</summary>
    private IEnumerable<TorchSharp.Modules.Parameter> TrainedParameters()
    {
        if (!config.ClassAdapter) return f.parameters();
        foreach (var (name, parameter) in f.named_parameters())
            if (!CodeNetwork.IsClassTable(name)) parameter.requires_grad = false;
        return f.named_parameters().Where(p => CodeNetwork.IsClassTable(p.name)).Select(p => p.parameter).ToList();
    }

    /// <summary>The classes of a labelled data set (labels 0 to N − 1); a one-line error when it has none.</summary>
    private static int ClassCount(ImageDataset data) =>
        data.Labels is { Length: > 0 } labels
            ? labels.Max() + 1
            : throw new ArgumentException($"--conditional needs class labels and {data.Name} has none "
                + "(mnist, fashion-mnist and idx data sets have them)");

    /// <summary>A fine-tune's start: f (and the weight average, when on) takes the checkpoint's live weights.
    /// </summary>
    private void InitialiseFrom(string path)
    {
        // checked here, not in Validate: a resumed fine-tune no longer needs the checkpoint it started from
        if (!File.Exists(path)) throw new ArgumentException($"--init-from: no such checkpoint '{path}'");
        using var checkpoint = Checkpoint.Load(path);
        // a conditional fine-tune of an unconditional model: its class tables start at zero, where f is that model
        if (config.ClassAdapter && checkpoint.Header.Config.Conditional)
            throw new ArgumentException("--class-adapter: --init-from must be an unconditional model, and " +
                                        $"'{path}' is conditional");
        Func<string, bool>? classTables = config.Conditional && !checkpoint.Header.Config.Conditional
            ? CodeNetwork.IsClassTable
            : null;
        TrainedModel.LoadState(f, checkpoint.ModelState, path, classTables);
        average?.Load(checkpoint.ModelState, path, classTables);
        // an unconditional model has no encoder or decoder for the classes: theirs start as copies of its own
        if (classTables is not null)
            foreach (var network in new[] { f, average?.Module }.OfType<CodeNetwork>())
                network.StartClassCopies();
    }

    private void Restore(Checkpoint checkpoint)
    {
        if (!checkpoint.IsResumable)
            throw new InvalidDataException(
                "the checkpoint holds no optimizer state: it can be sampled from, not resumed");
        TrainedModel.LoadState(f, checkpoint.ModelState, CheckpointPath);
        if (checkpoint.AdamFirstMoments!.Length != adam.FirstMoments.Length)
            throw new InvalidDataException("the checkpoint's optimizer state does not fit the model");
        using (no_grad())
            for (int i = 0; i < adam.FirstMoments.Length; i++)
            {
                adam.FirstMoments[i].copy_(checkpoint.AdamFirstMoments[i]);
                adam.SecondMoments[i].copy_(checkpoint.AdamSecondMoments![i]);
            }
        adam.Step = checkpoint.Header.AdamStep;
        if (average is not null)
        {
            if (checkpoint.EmaState is null)
                throw new InvalidDataException("the run now asks for an EMA but its checkpoint holds none");
            average.Load(checkpoint.EmaState, CheckpointPath);
        }
        Step = checkpoint.Header.Step;
        set_rng_state(checkpoint.RngState!);
    }

    /// <summary>One IGN step on a batch of real images (B, C, H, W) in [-1, 1]; returns the losses.</summary>
    /// <param name="classes">the images' classes (B) int64; needed by a conditional run, ignored otherwise</param>
    public LossValues TrainStep(Tensor x, Tensor? classes = null)
    {
        using var scope = NewDisposeScope();
        f.train(!config.ClassAdapter);   // an adapter's f: BatchNorm's running statistics and no dropout, as used
        var objectiveNow = config.ObjectiveAt(Step);  // the projection terms may start late
        var objective = new IgnObjective(objectiveNow, DrawRefineDepth(objectiveNow));
        x = config.Augment.Apply(x);                                   // (B, C, H, W), each image deformed or not
        var offData = objective.UsesOffData
            ? TrainingCorruptions.Take(x, config.OffDataFraction, Step, offDataCycle)
            : null;
        var target = config.ReconstructionTarget == ReconstructionTarget.Clean ? x : null;    // (B, C, H, W)
        // (B, C, H, W), x + σ·ε clamped
        if (config.InputNoise > 0) x = new GaussianNoise(config.InputNoise).Apply(x);
        var z = prior.Sample(x.shape[0], device);                                             // (B, C, H, W)
        if (config.CorruptedInZ > 0) z = TrainingCorruptions.Mix(z, x, config.CorruptedInZ, Step);
        var labels = config.Conditional
            ? ClassDraws.ForStep(classes ?? throw new ArgumentException("a conditional run's step needs the classes"),
                config.Classes, config.TrainingNullLabelRate, device,
                wrongClasses: config.Objective.LambdaWrongClass > 0)
            : null;
        using var noDropout = config.NoDropout ? DropoutPause.On(f) : null;
        frozen.Sync(f);                                                // the copy takes f's paused dropout too
        adam.LearningRate = config.LearningRateAt(Step, TotalSteps);
        var losses = objective.Compute(f, frozen.Module, x, z, config.TightnessScaleAt(Step), dataMean,
            config.MeanMatchScaleAt(Step), offData, target, labels, classGuide);
        var values = losses.Read();
        if (!values.AllFinite) throw new NonFiniteLossException(Step, values);
        adam.ZeroGrad();
        losses.Total.backward();
        RequireFiniteGradients(values);
        adam.Update();
        Step++;
        average?.Update(Step);
        return values;
    }

    /// <summary>How many times f has been applied to the input of λrr's and λp's outer f this step: 1 … K from
    /// torch's generator (saved in checkpoints, so a resumed run draws the same), drawn only on steps where one of
    /// the two terms acts, so the draws start with them.</summary>
    private static int DrawRefineDepth(ObjectiveConfig objective) =>
        objective.RefineDepth > 1 && (objective.LambdaRecTwice > 0 || objective.LambdaRestoreProjected > 0)
            ? 1 + (int)randint(objective.RefineDepth, [1]).item<long>()
            : 1;

    /// <summary>
    /// A finite loss can still back-propagate NaN (a wrong convolution gradient did): stop before the update.
    /// </summary>
    private void RequireFiniteGradients(LossValues losses)
    {
        var parameters = f.named_parameters().Where(p => p.parameter.grad is not null).ToList();
        var finite = stack(parameters.Select(p => p.parameter.grad!.isfinite().all()).ToArray())
            .cpu()
            .data<bool>()
            .ToArray();
        int first = Array.IndexOf(finite, false);
        if (first >= 0)
            throw new NonFiniteLossException(Step, losses, $"the gradient of {parameters[first].name} is not finite");
    }

    /// <summary>
    /// Train until <see cref="TotalSteps"/> or cancellation, writing samples and checkpoints on the way.
    /// </summary>
    public void Run(IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(RunDirectory);
        AtomicFile.WriteAllText(Path.Combine(RunDirectory, "config.json"), Json.Serialize(config));
        using var metrics = new MetricsLog(Path.Combine(RunDirectory, "metrics.jsonl"), Step);
        using var sampleLog = new SampleLog(Path.Combine(RunDirectory, "samples.jsonl"), Step);
        int sampleEvery = config.SampleEvery > 0 ? config.SampleEvery : loader.StepsPerEpoch;
        var collapseWatch = new CollapseWatch(TotalSteps);
        var clock = Stopwatch.StartNew();
        double elapsedBefore = metrics.Entries.Count > 0 ? metrics.Entries[^1].ElapsedSeconds : 0;
        var window = new Queue<(double Time, long Step)>();
        window.Enqueue((0, Step));

        using var batches = loader.From(Step, device).GetEnumerator();
        while (Step < TotalSteps && !cancel.IsCancellationRequested)
        {
            batches.MoveNext();
            using var x = batches.Current;
            using var classes = config.Conditional ? loader.LabelsAt(Step, device) : null;
            var losses = TrainStep(x, classes);

            double now = clock.Elapsed.TotalSeconds;
            window.Enqueue((now, Step));
            while (window.Count > 20) window.Dequeue();
            var (t0, s0) = window.Peek();
            double imagesPerSecond = now > t0 ? (Step - s0) * config.BatchSize / (now - t0) : 0;
            var m = new StepMetrics
            {
                Step = Step, Epoch = (Step - 1) / loader.StepsPerEpoch, Losses = losses,
                ImagesPerSecond = imagesPerSecond,
                ElapsedSeconds = elapsedBefore + now, RssMiB = Ign.Runtime.ProcessMemory.ResidentMiB(),
            };
            metrics.Append(m);
            progress?.Report(new StepCompleted(m, TotalSteps));

            bool epochEnd = Step % loader.StepsPerEpoch == 0;
            if (Step % sampleEvery == 0 || Step == TotalSteps)
            {
                metrics.Flush();
                var (samples, spread, colour) = WriteSamples();
                sampleLog.Append(new SampleCheck(Step, spread, colour));
                sampleLog.Flush();
                progress?.Report(new SamplesWritten(Step, samples, spread, colour,
                    collapseWatch.Observe(Step, spread, colour)));
                LossPlot.Save(Path.Combine(RunDirectory, "loss.png"), metrics.Entries);
            }
            bool keep = config.KeepCheckpointsAt.Contains(Step);
            if (Step % config.CheckpointEvery == 0 || epochEnd || Step == TotalSteps || keep)
            {
                metrics.Flush();
                SaveCheckpoint(CheckpointPath, full: true);
                progress?.Report(new CheckpointWritten(Step, CheckpointPath));
            }
            if (keep)
            {
                string kept = KeptCheckpointPath(Step);
                File.Copy(CheckpointPath, kept + ".tmp", overwrite: true);
                File.Move(kept + ".tmp", kept, overwrite: true);
                progress?.Report(new CheckpointWritten(Step, kept));
            }
        }
        metrics.Flush();
        if (cancel.IsCancellationRequested)
        {
            SaveCheckpoint(CheckpointPath, full: true);
            progress?.Report(new CheckpointWritten(Step, CheckpointPath));
        }
        else
        {
            string modelPath = Path.Combine(RunDirectory, "model.ckpt");
            using var statistics = config.ClassAdapter ? BaseModelStatistics()
                : config.RecalibrateBatchNorm > 0
                ? BatchNormRecalibration.Run(SamplingNetwork, prior, data, device, config.RecalibrateBatchNorm,
                    config.BatchSize, config.Seed, config.InputNoise, config.NullLabelRate,
                    CorruptionParser.ParseList(config.ImageKinds))
                : null;
            SaveCheckpoint(modelPath, full: false, statistics);
            progress?.Report(new CheckpointWritten(Step, modelPath));
        }
    }

    /// <summary>A class adapter's BatchNorm statistics: those of the model it adapts, unchanged, so that its null
    /// class is that model in every norm mode.</summary>
    private NormStatistics? BaseModelStatistics()
    {
        if (!File.Exists(config.InitFrom))
            throw new FileNotFoundException(
                $"a class adapter's model.ckpt takes the statistics of '{config.InitFrom}', which is gone");
        using var checkpoint = Checkpoint.Load(config.InitFrom!);
        // the classes' own encoder and decoder started as copies of the model's: they take the same statistics
        return checkpoint.NormStatistics?.CopyTo(device, (f as CodeNetwork)?.ClassCopiesOf);
    }

    /// <summary>The fixed noise z and f(z), f²(z), f³(z), side by side, as samples/step_NNNNNN.png; and f(z)'s spread
    /// and colour over the data's (<see cref="SampleSpread"/>).</summary>
    public (string Path, double Spread, double? Colour) WriteSamples()
    {
        using var scope = NewDisposeScope();
        // a conditional run's grid asks for the classes in turn: 0, 1, 2, ... in reading order
        using var classes = config.Conditional
            ? tensor(Enumerable.Range(0, config.SampleCount).Select(i => (long)(i % config.Classes)).ToArray(),
                device: device)
            : null;
        List<Tensor> outputs;
        using (Conditioning.On(SamplingNetwork, classes))
            outputs = Sampler.Iterate(SamplingNetwork, fixedNoise, [1, 2, 3], NormMode.Batch);
        string path = Path.Combine(RunDirectory, "samples", $"step_{Step:D6}.png");
        // a conditional run's grid has a column per class, so each column shows one class
        int columns = config.Conditional
            ? Math.Min(config.Classes, config.SampleCount)
            : (int)Math.Ceiling(Math.Sqrt(config.SampleCount));
        using var scalars = new HeldScalars();
        ImageGrid.SavePng(path, [fixedNoise.clamp(scalars.Of(-1), scalars.Of(1)), .. outputs], columns,
            scale: data.Height < 48 ? 2 : 1);
        File.Copy(path, Path.Combine(RunDirectory, "samples.png"), overwrite: true);
        return (path, SampleSpread.Relative(outputs[0], dataSpread),
            SampleSpread.RelativeColour(outputs[0], dataColour));
    }

    public void SaveCheckpoint(string path, bool full, NormStatistics? statistics = null)
    {
        using var scope = NewDisposeScope();
        var checkpoint = new Checkpoint
        {
            Header = new CheckpointHeader
            {
                Kind = full ? "full" : "model", Config = config, Step = Step, Prior = prior.Name,
                Channels = data.Channels, Height = data.Height, Width = data.Width, AdamStep = full ? adam.Step : 0,
                Weights = full || average is null ? "live" : "ema",
                BatchNormRecalibrated = full || statistics is null ? 0 : config.RecalibrateBatchNorm,
            },
            ModelState = full ? f.state_dict() : SamplingNetwork.state_dict(),
            EmaState = full ? average?.State() : null,
            PriorStatistics = prior.Statistics.ToDictionary(),
            AdamFirstMoments = full ? adam.FirstMoments : null,
            AdamSecondMoments = full ? adam.SecondMoments : null,
            RngState = full ? get_rng_state() : null,
            NormStatistics = statistics,
        };
        checkpoint.Save(path);
    }

    public void Dispose()
    {
        f.Dispose(); frozen.Dispose(); average?.Dispose(); prior.Dispose(); adam.Dispose();
        fixedNoise.Dispose(); dataMean?.Dispose(); classGuide?.Dispose();
    }
}
