using Ign.Configuration;
using Ign.Objective;

namespace Ign.Training;

/// <summary>How the learning rate moves over a run.</summary>
public enum LearningRateSchedule { Constant, Cosine }

/// <summary>The reconstruction term's target when real images get input noise.</summary>
public enum ReconstructionTarget { Noisy, Clean }

/// <summary>
/// Everything that defines a training run. <c>new TrainConfig()</c> is the default recipe, what `ign train` runs:
/// `tuned`, seed 002 with λ_t doubled, 15 epochs at constant lr and 5 of cosine decay (docs/quality.md, sections 7
/// and 12). Each [Knob] property is an `ign train` option, its initial value the default. Saved in every checkpoint
/// and as config.json in every run folder, so a run can be repeated or resumed exactly.
/// </summary>
public sealed record TrainConfig
{
    public string Preset { get; init; } = "tuned"; // the preset these values started from

    // data
    [Knob("--dataset", "mnist, fashion-mnist, emoji, folder (pictures under --data) or idx (MNIST's layout " +
                       "under --data; the default when only --data is given)")]
    public string Dataset { get; init; } = "mnist";

    [Knob("--data", "the folder for --dataset folder or idx")]
    public string? DataPath { get; init; }

    // how --dataset folder makes pictures square, composites alpha and picks channels; the size is the model's
    public Data.ImageFolderOptions Folder { get; init; } = new();

    [Knob("--input-noise", "σ of Gaussian noise added to real images, then clamped to [-1, 1] (seed 002: 0.15; " +
                           "0 = off)")]
    public float InputNoise { get; init; } = 0.15f;

    [Knob("--rec-target", "what f(x + σε) is pulled toward: noisy, the noisy image itself (seed 002), or clean, x: " +
                          "f pulls what is near the data onto it")]
    public ReconstructionTarget ReconstructionTarget { get; init; } = ReconstructionTarget.Noisy;

    [Knob("--no-dropout", "train with the network's dropout layers off, so that f in training is the " +
                          "deterministic f that is used (seed 002 trains with dropout 0.1 per channel)")]
    public bool NoDropout { get; init; }

    // model and prior
    [Knob("--model", "dcgan-mnist (BatchNorm, seed 002) | dcgan-mnist-gn (GroupNorm: no batch statistics) | " +
                     "dcgan64 (the paper's 64×64 net) | dcgan64-gn (it with GroupNorm)")]
    public string Model { get; init; } = "dcgan-mnist";

    [Knob("--width", "base width c: encoder widths c, 2c, 4c, 8c (64: seed 002's 5.55 M-parameter net)")]
    public int BaseWidth { get; init; } = 64;

    // small random deformations of the real images each step (not in the paper; off by default)
    public Augmentation Augment { get; init; } = new();

    [Knob("--conditional", "class-conditional IGN: f also takes the image's class (a vector per class added to " +
                           "the code, a scale and shift per class after each decoder normalisation) and a null " +
                           "class, so one model generates with and without a class; needs labels (mnist, " +
                           "fashion-mnist, idx)")]
    public bool Conditional { get; init; }

    [Knob("--null-label", "fraction of the labels of x and of z replaced by the null class in training " +
                          "(--conditional): what teaches f to generate without a class (0.1 left the null " +
                          "class a generator of strokes; docs/quality.md section 18)")]
    public double NullLabelRate { get; init; } = 0.5;

    [Knob("--class-table-gain", "what the class tables' rows are multiplied by when read (--conditional): their " +
                                "learning rate relative to the rest of f, in effect")]
    public double ClassTableGain { get; init; } = Models.CodeNetwork.DefaultTableGain;

    [Knob("--null-row-gain", "what the null class's row is multiplied by when read (--conditional; default: " +
                             "--class-table-gain): how fast \"no class\" moves beside the classes " +
                             "(docs/quality.md section 18)")]
    public double? NullRowGain { get; init; }

    [Knob("--class-code-mlp", "the hidden width of a small network of the code and the class that shifts the code " +
                              "per input (--conditional; zero for the null class, its output layer starting at " +
                              "zero; 0 = none): a class signal that depends on what f is given")]
    public int ClassCodeMlp { get; init; }

    [Knob("--no-class-norm", "no per-class scale and shift of the decoder's normalisations (--conditional): the " +
                             "class reaches f only through its code")]
    public bool NoClassNorm { get; init; }

    [Knob("--class-adapter", "--conditional on top of an unconditional model given with --init-from: only the " +
                             "class tables train, f's own layers stay frozen in eval mode and the null class is " +
                             "never drawn, so \"no class\" is that model exactly (docs/quality.md section 28)")]
    public bool ClassAdapter { get; init; }

    [Knob("--class-encoder", "--class-adapter with an encoder of the classes' own, started as a copy of the " +
                             "model's and trained with the tables, the null class keeping the frozen one " +
                             "(docs/quality.md section 31)")]
    public bool ClassEncoder { get; init; }

    [Knob("--class-decoder", "--class-adapter with a decoder of the classes' own, started as a copy of the " +
                             "model's and trained with the tables, the null class keeping the frozen one " +
                             "(docs/quality.md section 32)")]
    public bool ClassDecoder { get; init; }

    // a composed model's conditional model (ign compose), whose encoder, decoder and class tables are the classes'
    // own copies and tables, the null class being --init-from's model; null for a trained run
    public string? ClassesFrom { get; init; }

    /// <summary>How this run's network is conditioned on a class: the one mapping from the options to the network.
    /// </summary>
    public Models.ClassOptions ClassOptionsOf() => new()
    {
        Classes = Classes, TableGain = ClassTableGain, NullRowGain = NullRowGain, CodeMlp = ClassCodeMlp,
        NormTables = !NoClassNorm, OwnEncoder = ClassEncoder, OwnDecoder = ClassDecoder,
    };

    [Knob("--class-guide", "the classifier file λ_g (--lambda-class-guide) asks f's samples to satisfy: one of the " +
                           "run's data set, trained apart from the evaluation's (ign classifier train --seed N --out " +
                           "FILE), or \"means\": the nearest class mean in pixels, which no high-frequency " +
                           "pattern can fool")]
    public string? ClassGuide { get; init; }

    /// <summary>The null-label rate training draws at: none for a class adapter, whose null class is frozen.
    /// </summary>
    public double TrainingNullLabelRate => ClassAdapter ? 0 : NullLabelRate;

    // a conditional run's classes, 0 to Classes − 1, found in its data's labels by the trainer (0: unconditional)
    public int Classes { get; init; }

    [Knob("--prior", "gaussian N(0, 1) (seed 002) | spectral (the paper's: the data's per-frequency statistics) | " +
                     "covariance (the data's pixel mean and full covariance; images of at most 4096 values)")]
    public Priors.PriorKind Prior { get; init; } = Priors.PriorKind.Gaussian;

    // objective: its knobs are declared in ObjectiveConfig
    public ObjectiveConfig Objective { get; init; } = new();

    // optimisation
    [Knob("--lr", "Adam step size (paper and seed 002: 1e-4)")]
    public double LearningRate { get; init; } = 1e-4;

    public double Beta1 { get; init; } = 0.5;   // Adam β1 (paper and seed)
    public double Beta2 { get; init; } = 0.999; // Adam β2

    [Knob("--adam-eps", "ε in Adam's denominator √v̂ + ε (torch.optim's default; GAN-style recipes often raise it)")]
    public double AdamEpsilon { get; init; } = 1e-8;

    [Knob("--lr-schedule", "constant (seed 002), or cosine: from --lr-decay-from down to --lr-floor × lr at the end",
          OnResume = OnResume.FromCheckpointStep)]
    public LearningRateSchedule LrSchedule { get; init; } = LearningRateSchedule.Cosine;

    [Knob("--lr-floor", "the cosine schedule's final fraction of the learning rate",
          OnResume = OnResume.FromCheckpointStep)]
    public double LrFloor { get; init; } = 0.1;

    [Knob("--lr-decay-from", "the cosine schedule's first step: constant lr before it",
          OnResume = OnResume.FromCheckpointStep)]
    public long LrDecayFrom { get; init; } = 15 * 234; // 234 steps per MNIST epoch at batch 256

    [Knob("--tight-warmup", "steps over which λ_t ramps linearly from 0 (0 = off, seed 002)")]
    public int TightnessWarmup { get; init; } = 0;

    [Knob("--tight-late-from", "from this step on, λ_t is multiplied by --tight-late-factor (0 = off, seed 002)",
          OnResume = OnResume.FromCheckpointStep)]
    public long TightnessLateFrom { get; init; } = 0;

    [Knob("--tight-late-factor", "the factor on λ_t from --tight-late-from on (1 = off)",
          OnResume = OnResume.FromCheckpointStep)]
    public double TightnessLateFactor { get; init; } = 1;

    [Knob("--mean-from", "the first step of the λ_m term (--lambda-mean)", OnResume = OnResume.FromCheckpointStep)]
    public long MeanMatchFrom { get; init; } = 0;

    [Knob("--z-corrupted", "fraction of each batch's z made of corrupted training images (noise, occlusion, " +
                           "salt and pepper, sketch, low resolution, blur in turn), so idempotence and tightness " +
                           "also act off the data (0 = off; not in the paper)")]
    public double CorruptedInZ { get; init; } = 0;

    [Knob("--offdata-fraction", "fraction of each batch corrupted (in the --offdata-corruptions cycle) for " +
                                "--lambda-restore, --lambda-offdata-idem, --lambda-restore-twice and " +
                                "--lambda-restore-projected",
          OnResume = OnResume.FromCheckpointStep)]
    public double OffDataFraction { get; init; } = 0.5;

    [Knob("--offdata-corruptions", "the corruptions the off-data terms' rows cycle through, one per step, " +
                                   "comma-separated (empty: noise 0.6, occlusion, salt and pepper, sketch, low " +
                                   "resolution, blur and an erasing square)",
          OnResume = OnResume.FromCheckpointStep)]
    public string OffDataCorruptions { get; init; } = "";

    [Knob("--projection-terms-from", "the first step of the projection terms (--lambda-restore, " +
                                     "--lambda-offdata-idem, --lambda-restore-twice, --lambda-restore-projected, " +
                                     "--lambda-rec-twice, and their --refine-depth); they may be added when " +
                                     "resuming at or before it",
          OnResume = OnResume.FromCheckpointStep)]
    public long ProjectionTermsFrom { get; init; } = 0;

    [Knob("--init-from", "start from this checkpoint's weights (a fine-tune: fresh optimizer, step 0; the " +
                         "architecture and width must match)")]
    public string? InitFrom { get; init; }

    [Knob("--ema", "decay of an exponential moving average of the weights, used for sampling and model.ckpt, " +
                   "e.g. 0.999 (0 = off, seed 002)")]
    public double EmaDecay { get; init; } = 0;

    // computed after training, so they change no trained weight (seed 002: none)
    [Knob("--recalibrate-bn", "batches of noise, images and f(z) whose exact BatchNorm statistics, one set per kind " +
                              "of input, go into model.ckpt for eval mode (0 = off)")]
    public int RecalibrateBatchNorm { get; init; } = 40;

    [Knob("--image-kinds", "corruptions whose images also get a BatchNorm set of their own in model.ckpt, " +
                           "comma-separated, for projections told what they are given (ign project --input-kind; " +
                           "docs/quality.md section 21); empty: none")]
    public string ImageKinds { get; init; } = "lowres,sketch";

    [Knob("--batch", "images per step; the last partial batch of an epoch is dropped")]
    public int BatchSize { get; init; } = 256;

    [Knob("--epochs", "passes over the training set (seed 002: 50)", OnResume = OnResume.Free)]
    public int Epochs { get; init; } = 20;

    [Knob("--steps", "stop after this many steps instead of --epochs", OnResume = OnResume.Free)]
    public long? MaxSteps { get; init; }

    [Knob("--seed", "seeds torch, the data order and the fixed sample noise")]
    public int Seed { get; init; } = 0;

    // outputs
    [Knob("--sample-every", "write a sample grid every N steps (0 = once per epoch)")]
    public int SampleEvery { get; init; } = 0;

    public int SampleCount { get; init; } = 64; // images per panel of the sample grid

    [Knob("--keep-at", "steps whose checkpoint is also kept as checkpoint-step<N>.ckpt, N in six digits " +
                       "(1404,3510 keeps checkpoint-step001404.ckpt and checkpoint-step003510.ckpt)",
          OnResume = OnResume.Free)]
    public long[] KeepCheckpointsAt { get; init; } = [];

    [Knob("--checkpoint-every", "write the resumable checkpoint every N steps (and at every epoch's end)")]
    public int CheckpointEvery { get; init; } = 200;

    // machine
    [Knob("--device", "cpu | cuda (needs the CUDA build: -p:TorchBackend=cuda-12.8)", OnResume = OnResume.Free)]
    public string Device { get; init; } = "cpu";

    [Knob("--threads", "torch intra-op threads (0 = one per core)", OnResume = OnResume.Free)]
    public int Threads { get; init; } = 0;

    // what each preset is for; what it measured is in docs/quality.md
    public static readonly IReadOnlyDictionary<string, string> PresetDescriptions = new Dictionary<string, string>
    {
        ["tuned"] = "the default: seed002 with λt 5, 15 epochs at constant lr and 5 of cosine decay to 0.1 × lr " +
                    "(4 680 steps; the shipped model)",
        ["seed002"] = "the seed-002 recipe: width 64, Gaussian prior, no tightness clamp, input noise 0.15, 50 epochs",
        ["paper"] = "seed002 with the paper's tanh tightness clamp (a = 1.5) and spectral prior",
        ["quick"] = "tuned on a width-32 net for 6 epochs at lr 3e-4, constant: legible digits in about 10 minutes " +
                    "on 2 cores",
        ["tiny"] = "width 8, 20 steps of batch 32: a smoke test in seconds, not a model",
        ["emoji64"] = "the embedded colour emoji on the paper's 64×64 dcgan64, width 32, spectral prior, batch 64, " +
                      "λt 5, 200 epochs with cosine decay over the last 50, weight average 0.999 (10 600 steps, about " +
                      "90 minutes on 2 cores; the shipped emoji model)",
    };

    public static TrainConfig FromPreset(string name) => name switch
    {
        "tuned" => new TrainConfig(),
        "seed002" => Seed002(name),
        "paper" => Seed002(name) with { Prior = Priors.PriorKind.Spectral, Objective = ObjectiveConfig.Paper },
        "quick" => new TrainConfig // docs/quality.md, sections 4 and 6
        {
            Preset = name, BaseWidth = 32, Epochs = 6, LearningRate = 3e-4, LrSchedule = LearningRateSchedule.Constant,
            LrDecayFrom = 0,
        },
        "tiny" => Seed002(name) with
        {
            BaseWidth = 8, BatchSize = 32, MaxSteps = 20, SampleEvery = 10, CheckpointEvery = 10, SampleCount = 16,
        },
        "emoji64" => new TrainConfig // docs/quality.md, sections 22 and 34: tuned's λt 5 and late decay, and EMA
        {
            Preset = name, Dataset = "emoji", Model = "dcgan64", BaseWidth = 32, Prior = Priors.PriorKind.Spectral,
            BatchSize = 64, Epochs = 200, LrDecayFrom = 150 * 53, EmaDecay = 0.999, // 53 steps per epoch of 3 408
        },
        _ => throw new ArgumentException(
            $"unknown preset '{name}' (known: {string.Join(", ", PresetDescriptions.Keys)})"),
    };

    /// <summary>The seed-002 recipe: λ_t 2.5, no clamp, 50 epochs at constant lr.</summary>
    private static TrainConfig Seed002(string name) => new()
    {
        Preset = name, Objective = ObjectiveConfig.Seed002, Epochs = 50, LrSchedule = LearningRateSchedule.Constant,
        LrDecayFrom = 0,
    };

    /// <summary>The training images this config names (<see cref="TrainingData"/>); <paramref name="report"/> hears
    /// about picture folders.</summary>
    public Data.ImageDataset LoadTrainingSet(Action<string>? report = null) =>
        TrainingData.Load(this, Data.Split.Train, report);

    /// <summary>The held-out images of the same data set, for evaluation and projection.</summary>
    public Data.ImageDataset LoadTestSet(Action<string>? report = null) =>
        TrainingData.Load(this, Data.Split.Test, report);

    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based) of
    /// <paramref name="totalSteps"/>.</summary>
    public double LearningRateAt(long step, long totalSteps)
    {
        if (LrSchedule != LearningRateSchedule.Cosine || totalSteps <= 1 || step < LrDecayFrom) return LearningRate;
        double progress = Math.Min(1.0, (double)(step - LrDecayFrom) / Math.Max(1, totalSteps - 1 - LrDecayFrom));
        return LearningRate * (LrFloor + (1 - LrFloor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    /// <summary>True when the learning rate is LearningRate at every step before <paramref name="step"/>, whatever
    /// the run's length.</summary>
    public bool ConstantLearningRateBefore(long step) =>
        LrSchedule == LearningRateSchedule.Constant || LrDecayFrom >= step;

    /// <summary>The factor on λ_t at optimizer step <paramref name="step"/> (0-based): a linear ramp over
    /// TightnessWarmup steps, times TightnessLateFactor from step TightnessLateFrom on.</summary>
    public double TightnessScaleAt(long step)
    {
        double warmup = TightnessWarmup > 0 ? Math.Min(1.0, (step + 1.0) / TightnessWarmup) : 1.0;
        return step >= LateTightnessStart() ? warmup * TightnessLateFactor : warmup;
    }

    /// <summary>The factor on λ_m at optimizer step <paramref name="step"/> (0-based): 0 before MeanMatchFrom, 1 from
    /// it on.</summary>
    public double MeanMatchScaleAt(long step) => step >= MeanMatchStart() ? 1 : 0;

    /// <summary>The first step the λ_m term acts on; long.MaxValue when it is off.</summary>
    private long MeanMatchStart() => Objective.LambdaMean > 0 ? MeanMatchFrom : long.MaxValue;

    /// <summary>True when this config's λ_m term equals <paramref name="other"/>'s over steps 0 … step − 1 (see
    /// <see cref="SameTightnessBefore"/>).</summary>
    public bool SameMeanMatchBefore(TrainConfig other, long step) =>
        SameBefore(MeanMatchStart(), other.MeanMatchStart(), Objective.LambdaMean == other.Objective.LambdaMean, step);

    /// <summary>The objective at optimizer step <paramref name="step"/> (0-based): without the projection terms
    /// before ProjectionTermsFrom.</summary>
    public ObjectiveConfig ObjectiveAt(long step) =>
        step >= ProjectionTermsFrom ? Objective : Objective.WithoutProjectionTerms();

    /// <summary>The first step the projection terms act on; long.MaxValue when they are off.</summary>
    private long ProjectionTermsStart() =>
        Objective.ProjectionWeights() != default ? ProjectionTermsFrom : long.MaxValue;

    /// <summary>True when this config's projection terms (and the share of the batch they corrupt) equal
    /// <paramref name="other"/>'s over steps 0 … step − 1 (see <see cref="SameTightnessBefore"/>).</summary>
    public bool SameProjectionTermsBefore(TrainConfig other, long step) =>
        SameBefore(ProjectionTermsStart(), other.ProjectionTermsStart(),
                   Objective.ProjectionWeights() == other.Objective.ProjectionWeights()
                   && Objective.RefineDepth == other.Objective.RefineDepth
                   && OffDataFraction == other.OffDataFraction
                   && OffDataCorruptions == other.OffDataCorruptions, step);

    /// <summary>The first step whose λ_t the late factor changes; long.MaxValue when it changes none.</summary>
    private long LateTightnessStart() =>
        TightnessLateFrom > 0 && TightnessLateFactor != 1 ? TightnessLateFrom : long.MaxValue;

    /// <summary>True when this config's λ_t schedule equals <paramref name="other"/>'s over steps 0 … step − 1, so
    /// a run resumed at <paramref name="step"/> with it is the run it would have been from the start.</summary>
    public bool SameTightnessBefore(TrainConfig other, long step) =>
        TightnessWarmup == other.TightnessWarmup
        && SameBefore(LateTightnessStart(), other.LateTightnessStart(),
                      TightnessLateFactor == other.TightnessLateFactor, step);

    /// <summary>True when a part of the recipe that acts from <paramref name="start"/> on (long.MaxValue: never)
    /// trains steps 0 … step − 1 alike under two configs: the same start and settings, or neither acts before
    /// <paramref name="step"/>.</summary>
    private static bool SameBefore(long start, long otherStart, bool sameSettings, long step) =>
        (start == otherStart && sameSettings) || Math.Min(start, otherStart) >= step;

    /// <summary>
    /// Refuses this config as the continuation of a run trained with <paramref name="trained"/> up to
    /// <paramref name="step"/> when one of its <see cref="OnResume.FromCheckpointStep"/> schedules would change a step
    /// already trained (the one-line error says which step to pass instead).
    /// </summary>
    public void CheckResume(TrainConfig trained, long step)
    {
        const string Trained = "would change steps already trained: the checkpoint is at step";
        if (!SameTightnessBefore(trained, step))
            throw new ArgumentException($"--tight-late-from {TightnessLateFrom} {Trained} {step}");
        bool scheduleChanged =
            (LrSchedule, LrFloor, LrDecayFrom) != (trained.LrSchedule, trained.LrFloor, trained.LrDecayFrom);
        if (scheduleChanged && !(ConstantLearningRateBefore(step) && trained.ConstantLearningRateBefore(step)))
            throw new ArgumentException($"this learning-rate schedule {Trained} {step} " +
                                        $"(pass --lr-decay-from {step} or later, onto a run trained at constant lr)");
        if (!SameMeanMatchBefore(trained, step))
            throw new ArgumentException($"--lambda-mean {Objective.LambdaMean} from step {MeanMatchFrom} {Trained} " +
                                        $"{step} (pass --mean-from {step} or later)");
        if (!SameProjectionTermsBefore(trained, step))
            throw new ArgumentException($"these projection terms {Trained} {step} " +
                                        $"(pass --projection-terms-from {step} or later)");
    }

    /// <summary>A one-line error for the first setting that cannot be trained with.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        var o = Objective;
        Require(Models.CodeNetwork.IsValidBaseWidth(BaseWidth), Models.CodeNetwork.BaseWidthError(BaseWidth));
        Require(BatchSize >= 1, $"batch size must be positive, got {BatchSize}");
        Require(Epochs >= 1 || MaxSteps is not null, "epochs must be positive");
        Require(MaxSteps is null or >= 1, "max steps must be positive");
        Require(LearningRate > 0 && double.IsFinite(LearningRate),
                $"learning rate must be positive, got {LearningRate}");
        Require(AdamEpsilon > 0 && double.IsFinite(AdamEpsilon), $"Adam's ε must be positive, got {AdamEpsilon}");
        Require(InputNoise >= 0, "input noise must be ≥ 0");
        Require(CorruptedInZ is >= 0 and <= 1, $"the corrupted fraction of z must be in [0, 1], got {CorruptedInZ}");
        Require(LossTerms.All.All(t => t.Weight(o) >= 0 && float.IsFinite(t.Weight(o))),
                $"loss weights must be finite and ≥ 0, got {LossTerms.DescribeWeights(o)}");
        Require(o.LambdaWrongClass == 0 || Conditional, "--lambda-wrong-class needs --conditional");
        Require(o.LambdaClassGuide == 0 || Conditional && !string.IsNullOrEmpty(ClassGuide),
                "--lambda-class-guide needs --conditional and --class-guide FILE");
        Require(string.IsNullOrEmpty(ClassGuide) || o.LambdaClassGuide > 0,
                "--class-guide does nothing without --lambda-class-guide");
        Require(!ClassAdapter || Conditional && InitFrom is not null,
                "--class-adapter needs --conditional and --init-from an unconditional model");
        Require(!ClassEncoder || ClassAdapter, "--class-encoder needs --class-adapter");
        Require(!ClassDecoder || ClassAdapter, "--class-decoder needs --class-adapter");
        Require(ClassCodeMlp >= 0, $"--class-code-mlp must be ≥ 0, got {ClassCodeMlp}");
        Require(ClassCodeMlp == 0 && !NoClassNorm || Conditional,
                "--class-code-mlp and --no-class-norm need --conditional");
        Require(NullLabelRate is >= 0 and <= 1, $"the null-label fraction must be in [0, 1], got {NullLabelRate}");
        Require(Models.CodeNetwork.IsValidGain(ClassTableGain),
                $"the class tables' gain must be positive, got {ClassTableGain}");
        Require(NullRowGain is not { } nullRowGain || Models.CodeNetwork.IsValidGain(nullRowGain),
                $"the null row's gain must be positive, got {NullRowGain}");
        Require(OffDataFraction is > 0 and <= 1, $"the off-data fraction must be in (0, 1], got {OffDataFraction}");
        Require(MeanMatchFrom >= 0, "the first step of the mean-matching term must be ≥ 0");
        Require(ProjectionTermsFrom >= 0, "the first step of the projection terms must be ≥ 0");
        Require(o.ClampA > 0, "the clamp's a must be positive");
        Require(o.RefineDepth >= 1, $"the refine depth must be ≥ 1, got {o.RefineDepth}");
        Require(o.ContractStep > 0 && float.IsFinite(o.ContractStep),
                $"the contraction's step must be positive, got {o.ContractStep}");
        Require(o.ContractBound >= 0 && float.IsFinite(o.ContractBound),
                $"the contraction's bound must be finite and ≥ 0, got {o.ContractBound}");
        Require(TrainingData.Descriptions.ContainsKey(Dataset),
                $"unknown dataset '{Dataset}' (known: {string.Join(", ", TrainingData.Descriptions.Keys)})");
        Require(Dataset is not ("idx" or "folder") || !string.IsNullOrEmpty(DataPath),
                $"dataset '{Dataset}' needs --data PATH");
        Folder.Validate(Models.ModelFactory.ImageSize(Model));
        Augment.Validate();
        Require(Enum.IsDefined(Prior),
                $"unknown prior '{Prior}' (known: {string.Join(", ", Priors.PriorFactory.Names)})");
        Require(Enum.IsDefined(LrSchedule),
                $"unknown learning-rate schedule '{LrSchedule}' (constant or cosine)");
        Require(LrFloor is >= 0 and <= 1, "the learning-rate floor must be between 0 and 1");
        Require(LrDecayFrom >= 0, "the first step of the learning-rate decay must be ≥ 0");
        Require(TightnessWarmup >= 0, "the tightness warm-up must be ≥ 0 steps");
        Require(TightnessLateFrom >= 0, "the step of the late tightness factor must be ≥ 0");
        Require(TightnessLateFactor >= 0 && double.IsFinite(TightnessLateFactor),
                $"the late tightness factor must be finite and ≥ 0, got {TightnessLateFactor}");
        Require(EmaDecay is >= 0 and < 1, $"EMA decay must be in [0, 1), got {EmaDecay}");
        Require(KeepCheckpointsAt.All(s => s >= 1), "steps of kept checkpoints must be ≥ 1");
        Require(RecalibrateBatchNorm >= 0, "BatchNorm recalibration batches must be ≥ 0");
        Corruptions.CorruptionParser.ParseList(OffDataCorruptions);
        Corruptions.CorruptionParser.ParseList(ImageKinds); // a bad kind is refused before training, in one line
        Require(Models.ModelFactory.Names.Contains(Model),
                $"unknown model '{Model}' (known: {string.Join(", ", Models.ModelFactory.Names)})");
        Require(Device == "cpu" || Device.StartsWith("cuda", StringComparison.Ordinal),
                $"unknown device '{Device}' (cpu or cuda)");
    }
}
