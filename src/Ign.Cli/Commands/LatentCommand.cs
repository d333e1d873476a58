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
        public readonly Option<int> Apply =
            new("--apply") { Description = "applications of f to each z", DefaultValueFactory = _ => 1 };
        public readonly Option<int> Rows =
            new("--rows") { Description = "how many examples (rows)", DefaultValueFactory = _ => 6 };
        public readonly Option<string> Norm = ModelOptions.Norm("running");
        public readonly Option<string> Out;
        public readonly Option<string> Device = ModelOptions.Device();

        public Common(string defaultOut) =>
            Out = new("--out") { Description = "grid PNG to write", DefaultValueFactory = _ => defaultOut };

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
        var from = new Option<int>("--from")
        {
            Description = "seed of the first z of row 0 (row r uses from + r)",
            DefaultValueFactory = _ => 0,
        };
        var to = new Option<int>("--to")
        {
            Description = "seed of the last z of row 0 (row r uses to + r)",
            DefaultValueFactory = _ => 1000,
        };
        var points = new Option<int>("--points")
        {
            Description = "images per row, ends included",
            DefaultValueFactory = _ => 10,
        };
        var path = new Option<string>("--path")
        {
            Description = "linear | spherical",
            DefaultValueFactory = _ => "spherical",
        };
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

    private static Command Arithmetic()
    {
        var common = new Common("arithmetic.png");
        var seed = new Option<int>("--seed")
        {
            Description = "row r uses seeds (3·(seed + r), +1, +2) for z_a, z_b, z_c",
            DefaultValueFactory = _ => 0,
        };
        var raw = new Option<bool>("--raw")
        {
            Description = "use z_a − z_b + z_c as is (default: rescaled by 1/√3 to the prior's spread)",
        };
        var command = new Command("arithmetic",
            "noise arithmetic: columns f(z_a), f(z_b), f(z_c), f(z_a − z_b + z_c)");
        common.AddTo(command);
        command.Options.Add(seed);
        command.Options.Add(raw);
        command.SetAction(p => CommandErrors.Run(() =>
        {
            var (apply, rows, mode, outPath) = common.Validate(p);
            using var model = common.Load(p);
            using var scope = NewDisposeScope();
            Tensor Z(int offset) => cat(Enumerable.Range(0, rows)
                .Select(r => Noise(model, 1, 3 * (p.GetValue(seed) + r) + offset)).ToList(), 0);
            var (a, b, c) = (Z(0), Z(1), Z(2));
            var mean = model.Prior.Mean(model.Device).expand_as(a);
            var combined = LatentOps.Arithmetic(a, b, c, mean, rescale: !p.GetValue(raw));
            Finish(outPath, [F(model, a, apply, mode), F(model, b, apply, mode), F(model, c, apply, mode),
                    F(model, combined, apply, mode)], 1,
                new
                {
                    command = "latent arithmetic", modelStep = model.Step, seed = p.GetValue(seed), rows,
                    rescaled = !p.GetValue(raw), apply, norm = p.GetValue(common.Norm),
                },
                $"{rows} rows: f(z_a), f(z_b), f(z_c), f(z_a − z_b + z_c)");
            return 0;
        }));
        return command;
    }

    private static Command Halves()
    {
        var common = new Common("halves.png");
        var seed = new Option<int>("--seed")
        {
            Description = "row r uses seeds 2·(seed + r) and 2·(seed + r) + 1",
            DefaultValueFactory = _ => 0,
        };
        var vertical = new Option<bool>("--vertical")
        {
            Description = "join left and right halves (default: top and bottom)",
        };
        var command = new Command("halves",
            "compose two noises: columns f(z_a), f(z_b), f(first half of z_a + second half of z_b)");
        common.AddTo(command);
        command.Options.Add(seed);
        command.Options.Add(vertical);
        command.SetAction(p => CommandErrors.Run(() =>
        {
            var (apply, rows, mode, outPath) = common.Validate(p);
            using var model = common.Load(p);
            using var scope = NewDisposeScope();
            Tensor Z(int offset) => cat(Enumerable.Range(0, rows)
                .Select(r => Noise(model, 1, 2 * (p.GetValue(seed) + r) + offset)).ToList(), 0);
            var (a, b) = (Z(0), Z(1));
            var joined = LatentOps.Halves(a, b, p.GetValue(vertical));
            Finish(outPath, [F(model, a, apply, mode), F(model, b, apply, mode), joined,
                    F(model, joined, apply, mode)], 1,
                new
                {
                    command = "latent halves", modelStep = model.Step, seed = p.GetValue(seed), rows,
                    vertical = p.GetValue(vertical), apply, norm = p.GetValue(common.Norm),
                },
                $"{rows} rows: f(z_a), f(z_b), the joined z, f(joined z)");
            return 0;
        }));
        return command;
    }
}
