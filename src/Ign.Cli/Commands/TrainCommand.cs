using System.CommandLine;
using Ign.Configuration;
using Ign.Training;
using Spectre.Console;

namespace Ign.Cli.Commands;

/// <summary>`ign train`: a preset plus overrides → a run folder with samples, metrics and checkpoints.</summary>
public static class TrainCommand
{
    private static readonly Option<string> Preset = Opt.With("--preset", "tuned", "starting recipe: " +
        $"{string.Join("; ", TrainConfig.PresetDescriptions.Select(kv => $"{kv.Key} = {kv.Value}"))}");
    private static readonly Option<string?> Out = Opt.Of<string?>("--out", "run folder (default runs/<preset>-<time>)");
    private static readonly Option<string?> Resume = Opt.Of<string?>("--resume",
        "continue a run: its folder or its checkpoint.ckpt (the config comes from the checkpoint; " +
        "options that change nothing trained, e.g. --steps, --epochs, --device, may be given)");

    // every other option is a [Knob] of TrainConfig (or of the records it holds): declared there, once
    private static readonly IReadOnlyList<(Knob Knob, Option<string?> Option)> KnobOptions = Knobs.Of<TrainConfig>()
        .Select(k => (k, FlagOrValue(k))).ToList();

    // a yes/no knob may be given alone ("--conditional") or with a value ("--conditional false")
    private static Option<string?> FlagOrValue(Knob knob)
    {
        var option = Opt.Of<string?>(knob.Flag, knob.Describe(new TrainConfig()));
        if (knob.IsFlag) option.Arity = ArgumentArity.ZeroOrOne;
        return option;
    }

    public static Command Create()
    {
        var command = new Command("train",
            "train an IGN on MNIST, Fashion-MNIST, the embedded colour emoji or a folder of pictures");
        foreach (var o in new Option[] { Preset, Out, Resume }.Concat(KnobOptions.Select(k => k.Option)))
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse)));
        return command;
    }

    /// <summary>
    /// The knobs given on the command line, with their values parsed (a one-line error names a bad one).
    /// </summary>
    private static List<(Knob Knob, object Value)> Given(ParseResult parse) =>
        KnobOptions.Where(k => parse.GetResult(k.Option) is not null)
            .Select(k => (k.Knob, k.Knob.Parse(parse.GetValue(k.Option) ?? ""))).ToList();

    /// <summary><paramref name="config"/> with the given knobs set; --epochs alone lifts a preset's step limit, and
    /// --data alone means --dataset idx.</summary>
    private static TrainConfig Apply(TrainConfig config, List<(Knob Knob, object Value)> given)
    {
        foreach (var (knob, value) in given) config = knob.With(config, value);
        bool Has(string flag) => given.Any(g => g.Knob.Flag == flag);
        if (Has("--epochs") && !Has("--steps")) config = config with { MaxSteps = null };
        if (Has("--data") && !Has("--dataset")) config = config with { Dataset = "idx" };
        return config;
    }

    private static int Execute(ParseResult parse)
    {
        Checkpoint? resume = null;
        string runDir;
        TrainConfig config;
        if (parse.GetValue(Resume) is { } resumePath)
        {
            string checkpointPath = Directory.Exists(resumePath)
                ? Path.Combine(resumePath, "checkpoint.ckpt")
                : resumePath;
            resume = Checkpoint.Load(checkpointPath);
            runDir = parse.GetValue(Out) ?? Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
            var given = Given(parse);
            if (given.FirstOrDefault(g => g.Knob.Attribute.OnResume == OnResume.Fixed) is { Knob: not null } fixedKnob)
                throw new ArgumentException($"{fixedKnob.Knob.Flag} cannot change when resuming: " +
                    "it is part of what the checkpoint trained (start a new run with --out instead)");
            config = Apply(resume.Header.Config, given);
            config.CheckResume(resume.Header.Config, resume.Header.Step);
        }
        else
        {
            config = Apply(TrainConfig.FromPreset(parse.GetValue(Preset)!), Given(parse));
            runDir = parse.GetValue(Out) ?? Path.Combine("runs", $"{config.Preset}-{DateTime.Now:yyyyMMdd-HHmmss}");
            if (File.Exists(Path.Combine(runDir, "checkpoint.ckpt")))
                throw new ArgumentException(
                    $"{runDir} already holds a run: pass --resume {runDir} to continue it, or another --out");
        }
        config.Validate();

        var train = config.LoadTrainingSet(line => CommandErrors.Info(Markup.Escape(line)));
        using var trainer = new Trainer(config, train, runDir, resume);
        resume?.Dispose();

        CommandErrors.Info($"[bold]ign train[/] preset [green]{config.Preset}[/], " +
            $"{train.Count} images ({train.Name}), width {config.BaseWidth}, " +
            $"prior {config.Prior.ToString().ToLowerInvariant()}, clamp {config.Objective.Clamp}, " +
            $"batch {config.BatchSize}, {trainer.TotalSteps} steps ({trainer.StepsPerEpoch}/epoch), " +
            $"seed {config.Seed}{(trainer.Step > 0 ? $", resuming at step {trainer.Step}" : "")}");
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
            ? $"stopped at step {trainer.Step}; checkpoint saved. " +
                $"Continue with: ign train --resume {Markup.Escape(runDir)}"
            : $"done: {trainer.Step} steps. Samples: {Markup.Escape(Path.Combine(runDir, "samples.png"))}, " +
                $"model: {Markup.Escape(Path.Combine(runDir, "model.ckpt"))}");
        return cancel.IsCancellationRequested ? 130 : 0;
    }
}
