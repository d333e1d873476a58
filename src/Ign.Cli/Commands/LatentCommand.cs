using System.CommandLine;
using Ign.Imaging;
using Ign.IO;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Cli.Commands;

/// <summary>`ign latent interpolate|arithmetic|halves`: the paper's latent-space figures, each as a PNG grid.</summary>
public static class LatentCommand
{
    public static Command Create()
    {
        var command = new Command("latent",
            "latent-space manipulation through f: interpolation, noise arithmetic, halves of two noises");
        command.Subcommands.Add(Interpolate());
        command.Subcommands.Add(Arithmetic());
        command.Subcommands.Add(Halves());
        return command;
    }

    /// <summary>Options every latent subcommand has.</summary>
    private sealed class Common
    {
        public readonly Option<string?> Checkpoint = ModelOptions.Checkpoint();
        public readonly Option<int> Apply = Opt.With("--apply", 1, "applications of f to each z");
        public readonly Option<int> Rows = Opt.With("--rows", 6, "how many examples (rows)");
        public readonly Option<string> Norm = ModelOptions.Norm("running");
        public readonly Option<string> Out;
        public readonly Option<string> Device = ModelOptions.Device();

        public Common(string defaultOut) => Out = Opt.With("--out", defaultOut, "grid PNG to write");

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Checkpoint, Apply, Rows, Norm, Out, Device }) c.Options.Add(o);
        }

        public (int Apply, int Rows, NormMode Mode, string Out) Validate(ParseResult p)
        {
            int apply = p.GetValue(Apply), rows = p.GetValue(Rows);
            if (apply is < 1 or > 1000) throw new ArgumentException("--apply must be between 1 and 1000");
            if (rows is < 1 or > 64) throw new ArgumentException("--rows must be between 1 and 64");
            ModelOptions.RequirePng(p.GetValue(Out)!, "--out");
            return (apply, rows, NormModes.Parse(p.GetValue(Norm)!), p.GetValue(Out)!);
        }

        public TrainedModel Load(ParseResult p) => ModelOptions.Load(p.GetValue(Checkpoint), p.GetValue(Device)!);
    }

    private static Tensor Noise(TrainedModel model, int rows, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return model.Prior.Sample(rows, model.Device, generator); // (rows, C, H, W)
    }

    private static Tensor F(TrainedModel model, Tensor z, int apply, NormMode mode) =>
        model.Apply(z, [apply], mode, InputKind.Noise)[0];

    private static void Finish(string outPath, List<Tensor> panels, int columns, object settings, string what)
    {
        ImageGrid.SavePng(outPath, panels, columns, scale: 2);
        AtomicFile.WriteAllText(Path.ChangeExtension(outPath, ".json"), Json.Serialize(settings));
        CommandErrors.Info($"wrote [blue]{outPath}[/]: {what}");
    }

    private static Command Interpolate()
    {
        var common = new Common("interpolate.png");
        var from = Opt.With("--from", 0, "seed of the first z of row 0 (row r uses from + r)");
        var to = Opt.With("--to", 1000, "seed of the last z of row 0 (row r uses to + r)");
        var points = Opt.With("--points", 10, "images per row, ends included");
        var path = Opt.With("--path", "spherical", "linear | spherical");
        var command = new Command("interpolate",
            "walk from one noise to another and apply f to every point: left panel z, right panel f(z)");
        common.AddTo(command);
        foreach (var o in new Option[] { from, to, points, path }) command.Options.Add(o);
        command.SetAction(p => CommandErrors.Run(() =>
        {
            var (apply, rows, mode, outPath) = common.Validate(p);
            int n = p.GetValue(points);
            if (n is < 2 or > 64) throw new ArgumentException("--points must be between 2 and 64");
            bool spherical = p.GetValue(path) switch
            {
                "linear" => false,
                "spherical" => true,
                var other => throw new ArgumentException($"--path: '{other}' is not linear or spherical"),
            };
            using var model = common.Load(p);
            using var scope = NewDisposeScope();
            var a = cat(Enumerable.Range(0, rows).Select(r => Noise(model, 1, p.GetValue(from) + r)).ToList(), 0);
            var b = cat(Enumerable.Range(0, rows).Select(r => Noise(model, 1, p.GetValue(to) + r)).ToList(), 0);
            var z = LatentOps.Interpolate(a, b, n, spherical);                                   // (rows·n, C, H, W)
            Finish(outPath, [z, F(model, z, apply, mode)], n, // panels are clamped to [-1, 1] as they are drawn
                new
                {
                    command = "latent interpolate", modelStep = model.Step, from = p.GetValue(from),
                    to = p.GetValue(to), rows, points = n, path = p.GetValue(path), apply,
                    norm = p.GetValue(common.Norm),
                },
                $"{rows} rows of {n} {p.GetValue(path)} steps; left z, right f^{apply}(z)");
            return 0;
        }));
        return command;
    }

    /// <summary>What a <see cref="SeededRows"/> body gets: the model, the noises and the parsed values.</summary>
    private sealed record Draw(TrainedModel Model, Tensor[] Z, int Seed, int Rows, int Apply, NormMode Mode,
        string? Norm, bool Flag)
    {
        public Tensor F(Tensor z) => LatentCommand.F(Model, z, Apply, Mode);
    }

    /// <summary>
    /// A subcommand that draws <paramref name="noises"/> noises per row, row r from the seeds
    /// noises·(seed + r) + 0, 1, ..., and writes the one-column-per-panel grid that <paramref name="body"/> makes of
    /// them, with its settings and summary. It has the common options, --seed and one flag.
    /// </summary>
    private static Command SeededRows(string name, string description, int noises, string seedHelp,
        string flagName, string flagHelp, Func<Draw, (List<Tensor> Panels, object Settings, string What)> body)
    {
        var common = new Common(name + ".png");
        var seed = Opt.With("--seed", 0, seedHelp);
        var flag = Opt.Of<bool>(flagName, flagHelp);
        var command = new Command(name, description);
        common.AddTo(command);
        command.Options.Add(seed);
        command.Options.Add(flag);
        command.SetAction(p => CommandErrors.Run(() =>
        {
            var (apply, rows, mode, outPath) = common.Validate(p);
            using var model = common.Load(p);
            using var scope = NewDisposeScope();
            int first = p.GetValue(seed);
            var z = Enumerable.Range(0, noises).Select(offset => cat(Enumerable.Range(0, rows)
                .Select(r => Noise(model, 1, noises * (first + r) + offset)).ToList(), 0)).ToArray();
            var (panels, settings, what) =
                body(new Draw(model, z, first, rows, apply, mode, p.GetValue(common.Norm), p.GetValue(flag)));
            Finish(outPath, panels, 1, settings, what);
            return 0;
        }));
        return command;
    }

    private static Command Arithmetic() => SeededRows("arithmetic",
        "noise arithmetic: columns f(z_a), f(z_b), f(z_c), f(z_a − z_b + z_c)", noises: 3,
        "row r uses seeds (3·(seed + r), +1, +2) for z_a, z_b, z_c",
        "--raw", "use z_a − z_b + z_c as is (default: rescaled by 1/√3 to the prior's spread)", d =>
        {
            var (a, b, c) = (d.Z[0], d.Z[1], d.Z[2]);
            var mean = d.Model.Prior.Mean(d.Model.Device).expand_as(a);
            var combined = LatentOps.Arithmetic(a, b, c, mean, rescale: !d.Flag);
            return ([d.F(a), d.F(b), d.F(c), d.F(combined)], new
            {
                command = "latent arithmetic", modelStep = d.Model.Step, seed = d.Seed, rows = d.Rows,
                rescaled = !d.Flag, apply = d.Apply, norm = d.Norm,
            }, $"{d.Rows} rows: f(z_a), f(z_b), f(z_c), f(z_a − z_b + z_c)");
        });

    private static Command Halves() => SeededRows("halves",
        "compose two noises: columns f(z_a), f(z_b), f(first half of z_a + second half of z_b)", noises: 2,
        "row r uses seeds 2·(seed + r) and 2·(seed + r) + 1",
        "--vertical", "join left and right halves (default: top and bottom)", d =>
        {
            var (a, b) = (d.Z[0], d.Z[1]);
            var joined = LatentOps.Halves(a, b, d.Flag);
            return ([d.F(a), d.F(b), joined, d.F(joined)], new
            {
                command = "latent halves", modelStep = d.Model.Step, seed = d.Seed, rows = d.Rows,
                vertical = d.Flag, apply = d.Apply, norm = d.Norm,
            }, $"{d.Rows} rows: f(z_a), f(z_b), the joined z, f(joined z)");
        });
}
