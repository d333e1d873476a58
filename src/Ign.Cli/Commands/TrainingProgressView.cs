using System.Globalization;
using Ign.Objective;
using Ign.Training;
using Spectre.Console;

namespace Ign.Cli.Commands;

/// <summary>
/// Shows training progress: a Spectre.Console bar on a terminal, a plain line every few seconds otherwise (logs,
/// nohup).
/// </summary>
public static class TrainingProgressView
{
    public static void Run(Trainer trainer, CancellationToken cancel)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            RunPlain(trainer, cancel);
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: trainer.TotalSteps);
                string spreadNote = "";
                task.Value = trainer.Step;
                trainer.Run(new SyncProgress(e =>
                {
                    if (e is StepCompleted s)
                    {
                        task.Value = s.Metrics.Step;
                        task.Description = Describe(s.Metrics) + spreadNote;
                    }
                    else if (e is SamplesWritten w)
                    {
                        spreadNote = w.Collapsing ? $" [red bold]{Markup.Escape(CollapseNote(w))}[/]" : "";
                        if (w.Collapsing) AnsiConsole.MarkupLine($"[red]{Markup.Escape(CollapseWarning(w))}[/]");
                    }
                }), cancel);
            });
    }

    private static void RunPlain(Trainer trainer, CancellationToken cancel)
    {
        var lastPrint = DateTime.MinValue;
        trainer.Run(new SyncProgress(e =>
        {
            switch (e)
            {
                case StepCompleted s
                    when DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(10) || s.Metrics.Step == s.TotalSteps:
                    lastPrint = DateTime.UtcNow;
                    Console.WriteLine($"step {s.Metrics.Step}/{s.TotalSteps} {Markup.Remove(Describe(s.Metrics))}");
                    break;
                case SamplesWritten w:
                    Console.WriteLine($"samples: {w.Path} ({Variety(w)} of the data's)");
                    if (w.Collapsing) Console.WriteLine(CollapseWarning(w));
                    break;
            }
        }), cancel);
    }

    private static string CollapseNote(SamplesWritten w) => $"collapsing? {Variety(w)}";

    /// <summary>"spread 0.87, colour 0.60" (colour for colour data only)</summary>
    private static string Variety(SamplesWritten w) =>
        $"spread {w.Spread:F2}{(w.Colour is { } c ? $", colour {c:F2}" : "")}";

    private static string CollapseWarning(SamplesWritten w) =>
        $"step {w.Step}: warning: {w.Collapse}; the run looks collapsed: look at {w.Path} and stop it " +
        "(Ctrl-C saves a checkpoint) rather than let it run on";

    private static string Describe(StepMetrics m) =>
        $"ep {m.Epoch} {string.Join(" ", m.Losses.Shown.Select(s => Describe(s.Term, s.Value)))} " +
        $"total {m.Total:F3} {m.ImagesPerSecond:F0} img/s";

    private static string Describe(LossTerm term, float value)
    {
        string number = value.ToString("F" + term.Decimals, CultureInfo.InvariantCulture);
        return TermColours.TryGetValue(term, out var colour)
            ? $"{term.Short} [{colour}]{number}[/]"
            : $"{term.Short} {number}";
    }

    private static readonly Dictionary<LossTerm, string> TermColours = new()
    {
        [LossTerms.Reconstruction] = "green", [LossTerms.Idempotence] = "yellow", [LossTerms.Tightness] = "red",
    };

    /// <summary>
    /// IProgress that calls back on the training thread (Progress&lt;T&gt; would post to the thread pool).
    /// </summary>
    private sealed class SyncProgress(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
