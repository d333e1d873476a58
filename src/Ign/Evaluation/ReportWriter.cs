using System.Globalization;
using System.Text;
using Ign.Corruptions;
using Ign.IO;

namespace Ign.Evaluation;

/// <summary>report.json for machines and report.md for people, with the same numbers.</summary>
public static class ReportWriter
{
    public static void Write(string folder, EvaluationReport report, IEnumerable<string> pictures)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "report.json"), Json.Serialize(report));
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), Markdown(report, pictures));
    }

    private static string Caption(string picture, EvaluationReport r) => picture switch
    {
        "frechet.png" =>
            "Fréchet distance to the test set against k, per BatchNorm mode, with the train-vs-test floor.",
        "precision-recall.png" =>
            "Precision and recall against k, per BatchNorm mode, with the train-vs-test values as reference.",
        "idempotence.png" =>
            "Mean |f^(k+1)(z) − f^k(z)| against k: how far each application still moves the samples.",
        "projections.png" =>
            "Make It Real examples (batch statistics): panels x | c(x) | " +
            string.Join(" | ", r.Modes.FirstOrDefault()?.Projections.FirstOrDefault()?.Ks
                .Select(k => k == 1 ? "f(c(x))" : $"f^{k}(c(x))") ?? []) + "; rows " +
            string.Join(", ", r.Modes.FirstOrDefault()?.Projections.Select(p => $"`{p.Corruption}`") ?? []) + ".",
        "lost.png" =>
            "Digits that further applications of f lost (read right at the first k, wrong at the last), in the " +
            "first BatchNorm mode, up to six per row: panels as projections.png; rows " +
            string.Join(", ", r.Modes.FirstOrDefault()?.Projections.Where(p => p.Lost > 0)
                .Select(p => $"`{p.Corruption}`") ?? []) + ".",
        "losses.png" => "The training run's loss terms (unweighted, moving average).",
        _ when picture.StartsWith("classes-", StringComparison.Ordinal) =>
            $"One-step samples f(z | c) of each class (a row per class, 0 at the top) with " +
            $"{Path.GetFileNameWithoutExtension(picture)["classes-".Length..]} statistics.",
        _ when picture.StartsWith("samples-", StringComparison.Ordinal) =>
            $"64 samples with {Path.GetFileNameWithoutExtension(picture)["samples-".Length..]} statistics: " +
            $"panels k = {string.Join(", ", r.Modes.FirstOrDefault()?.Samples.Select(s => s.K) ?? [])}.",
        _ => picture,
    };

    public static string Markdown(EvaluationReport r, IEnumerable<string> pictures)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        string F(double v, int digits = 3) => v.ToString("F" + digits, CultureInfo.InvariantCulture);
        string P(double v) => (100 * v).ToString("F1", CultureInfo.InvariantCulture) + " %";
        string Sharp(SampleMetrics s) => s.Sharpness is { } v ? F(v, 2) : "–";
        string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture).Replace(",", " ");
        bool classified = r.Classifier is not null;
        string images = classified ? "digits" : "images";

        Line($"# IGN evaluation: {Path.GetFileName(r.Checkpoint)} (step {r.ModelStep}, preset {r.Preset})");
        Line();
        if (classified)
        {
            Line($"{r.SampleCount} samples per k and BatchNorm mode, seed {r.Seed}; features: the penultimate layer " +
                 $"of the MNIST classifier `{Path.GetFileName(r.Classifier)}` " +
                 $"(test accuracy {P(r.ClassifierTestAccuracy ?? double.NaN)}); " +
                 $"precision/recall with k = {r.NearestNeighbours} " +
                 $"nearest neighbours against the 10 000 test digits. Took {F(r.Seconds, 0)} s.");
            Line();
            Line("Where the Fréchet distance (FD) sits: the **floor** is 10 000 training digits " +
                 "against the test set, the **ceiling** is prior noise.");
        }
        else
        {
            Line($"{r.SampleCount} samples per k and BatchNorm mode, seed {r.Seed}; features: {r.FeatureSpace}; " +
                 $"precision/recall with k = {r.NearestNeighbours} nearest neighbours against the " +
                 $"{Count(r.TestCount)} test images. There is no classifier for these " +
                 $"images, so no class histogram and no Make-It-Real accuracy. Took {F(r.Seconds, 0)} s.");
            Line();
            Line($"Where the Fréchet distance (FD) sits: the **floor** is {Count(r.FloorCount)} training images " +
                 "against the test set, the **ceiling** is prior noise.");
        }
        Line();
        Line("| reference | FD | precision | recall |");
        Line("|---|---|---|---|");
        foreach (var x in new[] { r.Floor, r.Ceiling })
            Line($"| {x.Name} | {F(x.Frechet, 2)} | {F(x.Precision)} | {F(x.Recall)} |");
        foreach (var mode in r.Modes)
        {
            Line();
            Line($"## BatchNorm with {mode.Norm} statistics");
            if (mode.Norm == "running")
            {
                Line();
                Line(r.RunningStatistics == "per input"
                    ? "Each image on its own (what single-image projection and the web page use), with the model's " +
                      "recalibrated statistics per kind of input: noise for f(z), images for f(x), generated images " +
                      "for every later application."
                    : "Each image on its own (what single-image projection and the web page use), with the running " +
                      "averages BatchNorm accumulated in training over real, noise and generated batches alike.");
            }
            Line();
            bool histograms = mode.Samples.All(s => s.ClassCounts is not null);
            if (histograms)
            {
                Line("| k | FD | precision | recall | class entropy (bits, max 3.32) | largest class deviation | " +
                     "idempotence error mean \\|f^(k+1)(z) − f^k(z)\\| | sharpness |");
                Line("|---|---|---|---|---|---|---|---|");
                foreach (var s in mode.Samples)
                    Line($"| {s.K} | {F(s.Frechet, 2)} | {F(s.Precision)} | {F(s.Recall)} | " +
                         $"{F(s.EntropyBits!.Value)} | {P(s.MaxClassDeviation!.Value)} | " +
                         $"{F(s.IdempotenceError, 4)} | {Sharp(s)} |");
                Line();
                Line("Class histogram of the samples (percent of samples per digit class 0–9):");
                Line();
                Line("| k | " + string.Join(" | ", Enumerable.Range(0, 10)) + " |");
                Line("|---|" + string.Concat(Enumerable.Repeat("---|", 10)));
                foreach (var s in mode.Samples)
                    Line($"| {s.K} | " + string.Join(" | ", s.ClassCounts!.Select(c =>
                        (100.0 * c / s.ClassCounts!.Sum()).ToString("F1", CultureInfo.InvariantCulture))) + " |");
            }
            else
            {
                Line("| k | FD | precision | recall | class entropy | largest class deviation | " +
                     "idempotence error mean \\|f^(k+1)(z) − f^k(z)\\| | sharpness |");
                Line("|---|---|---|---|---|---|---|---|");
                foreach (var s in mode.Samples)
                    Line($"| {s.K} | {F(s.Frechet, 2)} | {F(s.Precision)} | {F(s.Recall)} | – | – | " +
                         $"{F(s.IdempotenceError, 4)} | {Sharp(s)} |");
            }
            if (mode.Samples.FirstOrDefault(s => s.Coverage is not null) is { Coverage: { } coverage } first)
            {
                Line();
                string Signed(double v) => double.IsFinite(v) ? $"{100 * v:+0;-0;0} %" : "–";
                string Verdict(bool within) => within ? "yes" : "**no**";
                string tolerance = $"±{100 * CategoryCoverage.Tolerance:F0} %";
                Line($"Mode coverage at k = {first.K}: each category's share of the samples (each sample given the " +
                     "category of its nearest training image in the features; that labelling is right for " +
                     $"{P(coverage.LabellerAccuracy)} of the test images) against its share of the training data; " +
                     $"within {tolerance} of it: " +
                     $"**{(coverage.AllWithin ? "every category" : "not every category")}**; " +
                     $"within {tolerance} of the floor's share: " +
                     $"**{(coverage.AllWithinOfFloor ? "every category" : "not every category")}**.");
                Line();
                Line($"| category | data | samples | deviation | within {tolerance} | floor: training images, " +
                     $"leave one out (deviation) | samples against the floor | within {tolerance} | " +
                     "sampling noise (95 %) |");
                Line("|---|---|---|---|---|---|---|---|---|");
                foreach (var share in coverage.Shares)
                    Line($"| {share.Category} | {P(share.DataShare)} | {P(share.SampleShare)} | " +
                         $"{Signed(share.Deviation)} | {Verdict(share.Within(CategoryCoverage.Tolerance))} | " +
                         $"{P(share.LeaveOneOutShare)} ({Signed(share.LeaveOneOutDeviation)}) | " +
                         $"{Signed(share.FloorDeviation)} | " +
                         $"{Verdict(share.WithinOfFloor(CategoryCoverage.Tolerance))} | " +
                         $"{(double.IsFinite(share.SamplingNoise) ? $"±{100 * share.SamplingNoise:F0} %" : "–")} |");
                var chance = coverage.OutsideWithinNoise.Select(s => s.Category).ToList();
                Line();
                Line("The floor is what images drawn like the data but not in it are measured at: each training " +
                     "image given the category of its nearest other training image (where the floor misses the " +
                     "data's share, the labelling itself is biased); the samples against the floor compare like " +
                     "with like. The sampling noise is the 95 % range of the deviation of a generator " +
                     "that draws every category at exactly the data's share, from " +
                     $"{coverage.Shares[0].SampleCount} samples: " +
                     (coverage.AllWithin ? $"every category is within {tolerance}."
                      : chance.Count == 0 ? $"every category outside {tolerance} is outside the noise too."
                         : $"{string.Join(", ", chance)} {(chance.Count == 1 ? "is" : "are")} outside {tolerance} by " +
                           "less than it: the draw's chance alone could put them there."));
            }
            Line();
            Line($"Sharpness: the samples' share of spectral power above {F(Sharpness.Cutoff, 2)} cycles per pixel " +
                 "over the test images' share (1: as sharp as the data; below 1 blurrier, above 1 noisier).");
            if (mode.Conditional is { } conditional)
            {
                Line();
                Line($"The rows above are of the null class (\"no class\"). Asked for each class in turn, " +
                     $"{conditional.Classes[0].Samples} one-step samples f(z | c) per class: the classifier agrees " +
                     $"with the class asked for on **{P(conditional.Agreement)}**; Fréchet distance to the test " +
                     $"digits of the class (mean {F(conditional.MeanFrechet, 2)}), and recall against them (mean " +
                     $"{F(conditional.MeanRecall)}: how much of the class's variety its samples cover):");
                Line();
                Line("| class | " + string.Join(" | ", conditional.Classes.Select(c => c.Class)) + " |");
                Line("|---|" + string.Concat(conditional.Classes.Select(_ => "---|")));
                Line("| agreement | " + string.Join(" | ", conditional.Classes.Select(c => P(c.Agreement))) + " |");
                Line("| FD | " + string.Join(" | ", conditional.Classes.Select(c => F(c.Frechet, 2))) + " |");
                Line("| precision | " + string.Join(" | ", conditional.Classes.Select(c => F(c.Precision))) + " |");
                Line("| recall | " + string.Join(" | ", conditional.Classes.Select(c => F(c.Recall))) + " |");
                Line();
                Line($"All {conditional.Classes.Count} classes' samples together (unconditional generation by " +
                     $"drawing the class first) against all the test {images}: Fréchet distance " +
                     $"**{F(conditional.PooledFrechet, 2)}**, precision {F(conditional.PooledPrecision)}, recall " +
                     $"{F(conditional.PooledRecall)}" +
                     (mode.Samples.FirstOrDefault(s => s.K == 1) is { } oneStep
                         ? $", beside the null class's {F(oneStep.Frechet, 2)} at k = 1." : "."));
            }
            Line();
            Line($"Reconstruction error mean |f(x) − x| on the test {images}: {F(mode.ReconstructionError, 4)} " +
                 "(pixel range [-1, 1]).");
            var ks = mode.Projections.FirstOrDefault()?.Ks ?? [];
            string Columns(string what) =>
                string.Join(" | ", ks.Select(k => k == 1 ? $"{what} f(c(x))" : $"{what} f^{k}(c(x))"));
            if (mode.Projections.Any(p => p.AccuracyProjected is not null))
            {
                Line();
                Line($"\"Make It Real\": classifier accuracy on {r.ProjectionCount} corrupted {r.ProjectedImages} " +
                     "digits, as corrupted and after projection:");
                Line();
                Line("| corruption c | accuracy on c(x) | " + Columns("on") +
                     " | lost / gained by the last k | worse at a later k |");
                Line("|---|---|" + string.Concat(ks.Select(_ => "---|")) + "---|---|");
                foreach (var p in mode.Projections)
                    Line($"| `{p.Corruption}` | {(p.AccuracyCorrupted is { } a ? P(a) : "–")} | " +
                         string.Join(" | ", p.AccuracyProjected?.Select(P) ?? ks.Select(_ => "–")) +
                         $" | {(p.Lost is { } lost ? $"{lost} / {p.Gained}" : "–")}" +
                         $" | {(p.WorseAtLaterK ? "**yes**" : "no")} |");
            }
            if (mode.Projections.Any(p => p.ErrorProjected is not null))
            {
                Line();
                Line($"\"Make It Real\" restoration error: mean |c(x) − x| and |f^k(c(x)) − x| per pixel on " +
                     $"{r.ProjectionCount} corrupted {r.ProjectedImages} {images} (lower is closer to the original):");
                Line();
                Line("| corruption c | \\|c(x) − x\\| | " + string.Join(" | ",
                         ks.Select(k => k == 1 ? "\\|f(c(x)) − x\\|" : $"\\|f^{k}(c(x)) − x\\|")) + " |");
                Line("|---|---|" + string.Concat(ks.Select(_ => "---|")));
                foreach (var p in mode.Projections)
                    Line($"| `{p.Corruption}` | {(p.ErrorCorrupted is { } e ? F(e, 4) : "–")} | " +
                         string.Join(" | ", p.ErrorProjected?.Select(e => F(e, 4)) ?? ks.Select(_ => "–")) + " |");
            }
            if (mode.Projections.Any(p => ProjectionSpec.IsInpainting(p.Corruption)))
            {
                Line();
                Line(r.HoleFitSteps > 0
                    ? $"Inpainted rows keep the known pixels and fit the hole ({r.HoleFitSteps} Adam steps) so " +
                      "that f keeps them too, before each application of f (`--hole-fit`)."
                    : "Inpainted rows keep the known pixels and let f fill the hole as it is (`--hole-fit 0`).");
            }
            if (mode.Projections.Any(p => p.ChromaErrorProjected is not null))
            {
                Line();
                Line("Colour that comes back: mean chroma error |UV(·) − UV(x)| (YUV's colour channels, brightness " +
                     "left out, so blur is not rewarded) of c(x) and f^k(c(x)); lower than c(x)'s means f put " +
                     "colour back where it was:");
                Line();
                Line("| corruption c | c(x) | " +
                     string.Join(" | ", ks.Select(k => k == 1 ? "f(c(x))" : $"f^{k}(c(x))")) + " |");
                Line("|---|---|" + string.Concat(ks.Select(_ => "---|")));
                foreach (var p in mode.Projections.Where(p => p.ChromaErrorProjected is not null))
                    Line($"| `{p.Corruption}` | {F(p.ChromaErrorCorrupted!.Value, 4)} | " +
                         string.Join(" | ", p.ChromaErrorProjected!.Select(e => F(e, 4))) + " |");
            }
        }
        Line();
        Line("## Pictures");
        Line();
        foreach (var picture in pictures)
        {
            Line($"![{Path.GetFileNameWithoutExtension(picture)}]({picture})");
            Line();
            Line($"*{Caption(picture, r)}*");
            Line();
        }
        return md.ToString();
    }
}
