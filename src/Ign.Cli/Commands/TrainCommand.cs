using System.CommandLine;
using Ign.Data;
using Ign.Objective;
using Ign.Training;
using Spectre.Console;

namespace Ign.Cli.Commands;

/// <summary>`ign train`: a preset plus overrides → a run folder with samples, metrics and checkpoints.</summary>
public static class TrainCommand
{
    private static readonly Option<string> Preset = new("--preset") { Description = $"starting recipe: {string.Join("; ", TrainConfig.PresetDescriptions.Select(kv => $"{kv.Key} = {kv.Value}"))}", DefaultValueFactory = _ => "tuned" };
    private static readonly Option<string?> Out = new("--out") { Description = "run folder (default runs/<preset>-<time>)" };
    private static readonly Option<string?> Resume = new("--resume") { Description = "continue a run: its folder or its checkpoint.ckpt (config comes from the checkpoint; --epochs/--steps may extend it)" };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "passes over the training set" };
    private static readonly Option<long?> MaxSteps = new("--steps") { Description = "stop after this many steps (overrides --epochs)" };
    private static readonly Option<int?> Batch = new("--batch") { Description = "batch size (seed: 256)" };
    private static readonly Option<int?> Width = new("--width") { Description = "base width c of the network (seed: 64)" };
    private static readonly Option<string?> PriorOption = new("--prior") { Description = "gaussian | spectral | covariance (N(μ, Σ) with the data's pixel mean and full covariance; images of at most 4096 values)" };
    private static readonly Option<string?> Clamp = new("--clamp") { Description = "tightness clamp: none | tanh" };
    private static readonly Option<float?> ClampA = new("--clamp-a") { Description = "a of the tanh clamp (paper: 1.5)" };
    private static readonly Option<string?> ClampScaleOption = new("--clamp-scale") { Description = "scale of the clamp: reconstruction | reconstruction-detached | noise" };
    private static readonly Option<string?> DistanceOption = new("--distance") { Description = "l1 | l2" };
    private static readonly Option<float?> LambdaRec = new("--lambda-rec") { Description = "λ_r, weight of the reconstruction loss (seed: 20)" };
    private static readonly Option<float?> LambdaIdem = new("--lambda-idem") { Description = "λ_i, weight of the idempotence loss (seed: 20)" };
    private static readonly Option<float?> LambdaTight = new("--lambda-tight") { Description = "λ_t, weight of the tightness loss (seed: 2.5)" };
    private static readonly Option<float?> LambdaMean = new("--lambda-mean") { Description = "λ_m, weight of ‖mean of a batch of f(z) − the data's mean image‖², a pull on the mix of what f makes (not in the paper; 0 = off, seed); may be added when resuming, with --mean-from" };
    private static readonly Option<long?> MeanFrom = new("--mean-from") { Description = "the first step of the λ_m term (default 0); may be added when resuming at or before it" };
    private static readonly Option<double?> LearningRate = new("--lr") { Description = "Adam learning rate (seed: 1e-4)" };
    private static readonly Option<float?> InputNoise = new("--input-noise") { Description = "σ of noise added to real images (seed: 0.15; 0 = off)" };
    private static readonly Option<int?> Seed = new("--seed") { Description = "random seed (torch, data order, sample noise)" };
    private static readonly Option<int?> SampleEvery = new("--sample-every") { Description = "write a sample grid every N steps (0 = each epoch)" };
    private static readonly Option<int?> CheckpointEvery = new("--checkpoint-every") { Description = "write the resumable checkpoint every N steps" };
    private static readonly Option<string?> DatasetOption = new("--dataset") { Description = string.Join("; ", TrainingData.Descriptions.Select(kv => $"{kv.Key} = {kv.Value}")) };
    private static readonly Option<string?> DataPath = new("--data") { Description = "the folder for --dataset folder (pictures) or idx (MNIST's layout; the default when only --data is given)" };
    private static readonly Option<string?> FitOption = new("--fit") { Description = "--dataset folder: crop (centre square, default) | pad | stretch" };
    private static readonly Option<string?> BackgroundOption = new("--background") { Description = "--dataset folder: white (default) | black, behind transparent pixels and padding" };
    private static readonly Option<string?> DeviceOption = new("--device") { Description = "cpu | cuda" };
    private static readonly Option<string?> ModelOption = new("--model") { Description = "dcgan-mnist (BatchNorm, seed) | dcgan-mnist-gn (GroupNorm: no batch statistics) | dcgan64 (the paper's 64×64 net)" };
    private static readonly Option<double?> Ema = new("--ema") { Description = "decay of an exponential moving average of the weights used for sampling, e.g. 0.999 (0 = off, seed)" };
    private static readonly Option<int?> TightWarmup = new("--tight-warmup") { Description = "steps over which λ_t ramps from 0 (0 = off, seed)" };
    private static readonly Option<string?> LrScheduleOption = new("--lr-schedule") { Description = "constant (seed) | cosine (from --lr-decay-from, down to --lr-floor × lr at the last step); may be added when resuming, with --lr-decay-from" };
    private static readonly Option<long?> TightLateFrom = new("--tight-late-from") { Description = "from this step on, λ_t is multiplied by --tight-late-factor (0 = off, seed); may be added when resuming at or before it" };
    private static readonly Option<double?> TightLateFactor = new("--tight-late-factor") { Description = "the factor on λ_t from --tight-late-from on (1 = off)" };
    private static readonly Option<long?> LrDecayFromOption = new("--lr-decay-from") { Description = "with --lr-schedule cosine: constant lr before this step, the cosine decay from it to the last step (default 0); a decay may be added when resuming at or before it" };
    private static readonly Option<double?> LrFloorOption = new("--lr-floor") { Description = "final fraction of the learning rate for the cosine schedule (default 0.1)" };
    private static readonly Option<int?> RecalibrateBn = new("--recalibrate-bn") { Description = "batches per kind of input (noise, images, f(z)) for the exact BatchNorm statistics that model.ckpt carries for eval mode (default 40; 0 = off, as the seed)" };
    private static readonly Option<string?> KeepAt = new("--keep-at") { Description = "steps whose checkpoint is also kept as checkpoint-step<N>.ckpt, N in six digits (1404,3510 keeps checkpoint-step001404.ckpt and checkpoint-step003510.ckpt)" };
    private static readonly Option<int?> Threads = new("--threads") { Description = "torch threads (0 = one per core)" };

    public static Command Create()
    {
        var command = new Command("train", "train an IGN on MNIST, Fashion-MNIST, the embedded colour emoji or a folder of pictures");
        foreach (var o in new Option[] { Preset, Out, Resume, Epochs, MaxSteps, Batch, Width, PriorOption, Clamp, ClampA, ClampScaleOption, DistanceOption,
                                         LambdaRec, LambdaIdem, LambdaTight, LambdaMean, MeanFrom,
                                         LearningRate, InputNoise, Seed, SampleEvery, CheckpointEvery, DatasetOption, DataPath, FitOption, BackgroundOption, DeviceOption, Threads,
                                         ModelOption, Ema, TightWarmup, TightLateFrom, TightLateFactor, LrScheduleOption, LrFloorOption, LrDecayFromOption, RecalibrateBn, KeepAt })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        Checkpoint? resume = null;
        string runDir;
        TrainConfig config;
        if (parse.GetValue(Resume) is { } resumePath)
        {
            string checkpointPath = Directory.Exists(resumePath) ? Path.Combine(resumePath, "checkpoint.ckpt") : resumePath;
            resume = Checkpoint.Load(checkpointPath);
            runDir = parse.GetValue(Out) ?? Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
            config = resume.Header.Config with
            {
                Epochs = parse.GetValue(Epochs) ?? resume.Header.Config.Epochs,
                MaxSteps = parse.GetValue(MaxSteps) ?? (parse.GetValue(Epochs) is null ? resume.Header.Config.MaxSteps : null),
                Device = parse.GetValue(DeviceOption) ?? resume.Header.Config.Device,
                Threads = parse.GetValue(Threads) ?? resume.Header.Config.Threads,
                KeepCheckpointsAt = parse.GetValue(KeepAt) is { } keepAt ? ParseSteps(keepAt) : resume.Header.Config.KeepCheckpointsAt,
                TightnessLateFrom = parse.GetValue(TightLateFrom) ?? resume.Header.Config.TightnessLateFrom,
                TightnessLateFactor = parse.GetValue(TightLateFactor) ?? resume.Header.Config.TightnessLateFactor,
                MeanMatchFrom = parse.GetValue(MeanFrom) ?? resume.Header.Config.MeanMatchFrom,
                LrSchedule = parse.GetValue(LrScheduleOption) ?? resume.Header.Config.LrSchedule,
                LrFloor = parse.GetValue(LrFloorOption) ?? resume.Header.Config.LrFloor,
                LrDecayFrom = parse.GetValue(LrDecayFromOption) ?? resume.Header.Config.LrDecayFrom,
                Objective = resume.Header.Config.Objective with { LambdaMean = parse.GetValue(LambdaMean) ?? resume.Header.Config.Objective.LambdaMean },
            };
            if (!config.SameTightnessBefore(resume.Header.Config, resume.Header.Step))
                throw new ArgumentException($"--tight-late-from {config.TightnessLateFrom} would change steps already trained: the checkpoint is at step {resume.Header.Step}");
            bool scheduleChanged = (config.LrSchedule, config.LrFloor, config.LrDecayFrom) != (resume.Header.Config.LrSchedule, resume.Header.Config.LrFloor, resume.Header.Config.LrDecayFrom);
            if (scheduleChanged && !(config.ConstantLearningRateBefore(resume.Header.Step) && resume.Header.Config.ConstantLearningRateBefore(resume.Header.Step)))
                throw new ArgumentException($"this learning-rate schedule would change steps already trained: the checkpoint is at step {resume.Header.Step} (pass --lr-decay-from {resume.Header.Step} or later, onto a run trained at constant lr)");
            if (!config.SameMeanMatchBefore(resume.Header.Config, resume.Header.Step))
                throw new ArgumentException($"--lambda-mean {config.Objective.LambdaMean} from step {config.MeanMatchFrom} would change steps already trained: the checkpoint is at step {resume.Header.Step} (pass --mean-from {resume.Header.Step} or later)");
        }
        else
        {
            config = Overrides(parse, TrainConfig.FromPreset(parse.GetValue(Preset)!));
            runDir = parse.GetValue(Out) ?? Path.Combine("runs", $"{config.Preset}-{DateTime.Now:yyyyMMdd-HHmmss}");
            if (File.Exists(Path.Combine(runDir, "checkpoint.ckpt")))
                throw new ArgumentException($"{runDir} already holds a run: pass --resume {runDir} to continue it, or another --out");
        }
        config.Validate();

        var train = config.LoadTrainingSet(line => CommandErrors.Info(Markup.Escape(line)));
        using var trainer = new Trainer(config, train, runDir, resume);
        resume?.Dispose();

        CommandErrors.Info($"[bold]ign train[/] preset [green]{config.Preset}[/], {train.Count} images ({train.Name}), width {config.BaseWidth}, prior {config.Prior}, clamp {config.Objective.Clamp}, " +
                           $"batch {config.BatchSize}, {trainer.TotalSteps} steps ({trainer.StepsPerEpoch}/epoch), seed {config.Seed}{(trainer.Step > 0 ? $", resuming at step {trainer.Step}" : "")}");
        CommandErrors.Info($"run folder: [blue]{Markup.Escape(Path.GetFullPath(runDir))}[/]");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, a scheduler's stop) gets the same treatment as Ctrl-C: finish the step, save, exit.
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; cancel.Cancel(); });
        try
        {
            TrainingProgressView.Run(trainer, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        CommandErrors.Info(cancel.IsCancellationRequested
            ? $"stopped at step {trainer.Step}; checkpoint saved. Continue with: ign train --resume {Markup.Escape(runDir)}"
            : $"done: {trainer.Step} steps. Samples: {Markup.Escape(Path.Combine(runDir, "samples.png"))}, model: {Markup.Escape(Path.Combine(runDir, "model.ckpt"))}");
        return cancel.IsCancellationRequested ? 130 : 0;
    }

    private static TrainConfig Overrides(ParseResult p, TrainConfig c)
    {
        var objective = c.Objective with
        {
            Clamp = p.GetValue(Clamp) is { } clamp ? ParseEnum<TightnessClamp>(clamp, "--clamp") : c.Objective.Clamp,
            ClampA = p.GetValue(ClampA) ?? c.Objective.ClampA,
            Scale = p.GetValue(ClampScaleOption) is { } scale ? ParseEnum<ClampScale>(scale.Replace("-", ""), "--clamp-scale") : c.Objective.Scale,
            Distance = p.GetValue(DistanceOption) is { } d ? ParseEnum<Distance>(d, "--distance") : c.Objective.Distance,
            LambdaRec = p.GetValue(LambdaRec) ?? c.Objective.LambdaRec,
            LambdaIdem = p.GetValue(LambdaIdem) ?? c.Objective.LambdaIdem,
            LambdaTight = p.GetValue(LambdaTight) ?? c.Objective.LambdaTight,
            LambdaMean = p.GetValue(LambdaMean) ?? c.Objective.LambdaMean,
        };
        var dataPath = p.GetValue(DataPath);
        return c with
        {
            Objective = objective,
            Epochs = p.GetValue(Epochs) ?? c.Epochs,
            MaxSteps = p.GetValue(MaxSteps) ?? (p.GetValue(Epochs) is null ? c.MaxSteps : null),
            BatchSize = p.GetValue(Batch) ?? c.BatchSize,
            BaseWidth = p.GetValue(Width) ?? c.BaseWidth,
            Prior = p.GetValue(PriorOption) ?? c.Prior,
            LearningRate = p.GetValue(LearningRate) ?? c.LearningRate,
            InputNoise = p.GetValue(InputNoise) ?? c.InputNoise,
            Seed = p.GetValue(Seed) ?? c.Seed,
            SampleEvery = p.GetValue(SampleEvery) ?? c.SampleEvery,
            CheckpointEvery = p.GetValue(CheckpointEvery) ?? c.CheckpointEvery,
            Dataset = p.GetValue(DatasetOption) ?? (dataPath is null ? c.Dataset : "idx"),
            DataPath = dataPath ?? c.DataPath,
            Folder = c.Folder with
            {
                Fit = p.GetValue(FitOption) is { } fit ? ParseEnum<Ign.Imaging.FitMode>(fit, "--fit") : c.Folder.Fit,
                Background = p.GetValue(BackgroundOption) is { } background ? ParseEnum<Background>(background, "--background") : c.Folder.Background,
            },
            Device = p.GetValue(DeviceOption) ?? c.Device,
            Threads = p.GetValue(Threads) ?? c.Threads,
            Model = p.GetValue(ModelOption) ?? c.Model,
            EmaDecay = p.GetValue(Ema) ?? c.EmaDecay,
            TightnessWarmup = p.GetValue(TightWarmup) ?? c.TightnessWarmup,
            TightnessLateFrom = p.GetValue(TightLateFrom) ?? c.TightnessLateFrom,
            TightnessLateFactor = p.GetValue(TightLateFactor) ?? c.TightnessLateFactor,
            MeanMatchFrom = p.GetValue(MeanFrom) ?? c.MeanMatchFrom,
            LrSchedule = p.GetValue(LrScheduleOption) ?? c.LrSchedule,
            LrFloor = p.GetValue(LrFloorOption) ?? c.LrFloor,
            LrDecayFrom = p.GetValue(LrDecayFromOption) ?? c.LrDecayFrom,
            RecalibrateBatchNorm = p.GetValue(RecalibrateBn) ?? c.RecalibrateBatchNorm,
            KeepCheckpointsAt = p.GetValue(KeepAt) is { } keepAt ? ParseSteps(keepAt) : c.KeepCheckpointsAt,
        };
    }

    private static long[] ParseSteps(string text)
    {
        try { return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray(); }
        catch (FormatException) { throw new ArgumentException($"--keep-at wants steps separated by commas, e.g. 1404,3510; got '{text}'"); }
    }

    private static T ParseEnum<T>(string text, string option) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{option}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
}
