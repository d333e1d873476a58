using System.Diagnostics;
using Ign.Corruptions;
using Ign.Imaging;
using Ign.Numerics;
using Ign.Sampling;
using Ign.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;
using Ign.Normalization;

namespace Ign.Web;

public sealed record ServeOptions
{
    public required string Checkpoint { get; init; }
    public int Port { get; init; } = 5080;
    public string Host { get; init; } = "127.0.0.1";        // loopback unless asked otherwise
    public long MaxUploadBytes { get; init; } = 4 << 20;     // 4 MB
    public string? WebRoot { get; init; }                    // default: wwwroot next to the program
}

/// <summary>Responses of the JSON API.</summary>
/// <summary>The projection strip; <paramref name="Distance"/> is |f(c(x)) − c(x)|, <paramref name="Percentile"/> its
/// rank among test images (100: farther from the data than all of them); both null without a calibration.</summary>
public sealed record ProjectResponse(string[] Labels, string[] Images, double Milliseconds, double? Distance = null,
    double? Percentile = null);
public sealed record ImageResponse(string Image, double Milliseconds);
/// <param name="Classes">a class-conditional model's classes (0: unconditional)</param>
/// <param name="ImageKinds">the kinds of corrupted image with BatchNorm statistics of their own, for /api/project's
/// inputKind</param>
public sealed record ModelInfo(string Model, long Step, int Channels, int ImageSize, string[] Corruptions,
    int Classes = 0, string[]? ImageKinds = null);
public sealed record Health(double ResidentMiB, long ImagesProjected, long Batches);

/// <summary>
/// `ign serve`: one static page and a JSON API over a trained f. Every model call goes through one
/// <see cref="ModelWorker"/>; every bad input is a 400 with a problem-details body.
/// </summary>
public static class ServeApp
{
    public const int MaxSteps = 10, MaxCount = 64, MaxSeed = 1_000_000_000;

    public static WebApplication Build(ServeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var model = TrainedModel.Load(options.Checkpoint, CPU); // fails before anything listens
        model.Network.eval();
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes + 64 * 1024);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxUploadBytes);
        builder.Services.AddSingleton(new ModelWorker(model));
        configure?.Invoke(builder);
        var app = builder.Build();

        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var e = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            // anything the user can cause is a 400 with the reason; only our own bugs would be a 500
            bool userError = e is ArgumentException or InvalidDataException or BadHttpRequestException
                or FormatException or InvalidOperationException { Source: "Microsoft.AspNetCore.Http" };
            context.Response.StatusCode = userError ? 400 : 500;
            // a NaN image is refused (Numerics/FiniteCheck.cs): say why rather than return a black picture
            string title = userError ? "bad request" : e is NumericsException ? "numerics fault" : "internal error";
            await Results.Problem(statusCode: context.Response.StatusCode, title: title,
                                  detail: userError || e is NumericsException ? e!.Message : "unexpected error")
                .ExecuteAsync(context);
        }));
        app.UseStatusCodePages();
        string webRoot = options.WebRoot ?? Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(webRoot))
        {
            var files = new PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }
        app.MapOpenApi();
        MapApi(app, options);
        return app;
    }

    /// <summary>The class a request asks for: none ("" or "any"), or one of a conditional model's classes.</summary>
    private static (int? Class, IResult? Error) ClassOf(string text, ModelWorker worker)
    {
        if (text is "" or "any") return (null, null);
        if (worker.Classes == 0) return (null, Bad("class needs a class-conditional model; this one is not"));
        return int.TryParse(text, System.Globalization.NumberStyles.None,
                   System.Globalization.CultureInfo.InvariantCulture, out int c) && c < worker.Classes
            ? (c, null)
            : (null, Bad($"class must be any or a whole number from 0 to {worker.Classes - 1}"));
    }

    private static IResult Bad(string detail) => Results.Problem(statusCode: 400, title: "bad request", detail: detail);

    private static void MapApi(WebApplication app, ServeOptions options)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/model", (ModelWorker worker) => new ModelInfo(worker.ModelDescription, worker.ModelStep,
               worker.Channels, worker.ImageSize, [.. CorruptionParser.KnownKinds], worker.Classes,
               [.. worker.ImageKinds]))
           .WithSummary("the loaded model, the corruption kinds the API accepts, the model's classes "
               + "(0: not class-conditional) and the kinds of image it has statistics of (inputKind)");

        api.MapGet("/health", (ModelWorker worker) =>
               new Health(Ign.Runtime.ProcessMemory.ResidentMiB(), worker.ImagesProjected, worker.BatchesRun))
           .WithSummary("resident memory of the server and how many images it has projected, in how many batches");

        api.MapPost("/project", async (HttpRequest request, ModelWorker worker, CancellationToken cancel) =>
        {
            var clock = Stopwatch.StartNew();
            if (!request.HasFormContentType) return Bad("send multipart/form-data with an 'image' file");
            var form = await request.ReadFormAsync(cancel);
            if (!TryInt(form["steps"], 3, 1, MaxSteps, out int steps))
                return Bad($"steps must be a whole number from 1 to {MaxSteps}");
            if (!TryInt(form["seed"], 0, 0, MaxSeed, out int seed))
                return Bad($"seed must be a whole number from 0 to {MaxSeed}");
            var (classAsked, classError) = ClassOf(form["class"].ToString(), worker);
            if (classError is not null) return classError;
            ICorruption? corruption = null;
            string spec = form["corrupt"].ToString();
            if (!string.IsNullOrWhiteSpace(spec) && spec != "none")
            {
                try { corruption = CorruptionParser.Parse(spec); }
                catch (ArgumentException e) { return Bad(e.Message); }
            }
            var invert = form["invert"].ToString() switch
            {
                "" or "auto" => InvertMode.Auto,
                "yes" => InvertMode.Yes,
                "no" => InvertMode.No,
                var other => (InvertMode?)null,
            };
            if (invert is null) return Bad("invert must be auto, yes or no");
            var (image, error) = await ReadImage(form, worker, options, invert.Value, cancel);
            if (image is null) return error!;
            if (corruption is Grayscale && worker.Channels != 3) return Bad("grayscale needs a colour model");
            string? imagesLike;
            try { imagesLike = worker.ImageKindFor(form["inputKind"].ToString(), corruption); }
            catch (ArgumentException e) { return Bad(e.Message); }
            Tensor? known = null;
            if (form.Files.GetFile("mask") is { Length: > 0 } maskFile)
            {
                var (mask, maskError) = await ReadUpload(maskFile, "mask", options, cancel);
                if (mask is null) return maskError!;
                try
                {
                    known = ImageLoader.KnownPixels(mask, worker.ImageSize, LoadOptions(worker, InvertMode.No),
                        maskFile.FileName);
                }
                catch (InvalidDataException e) { return Bad(e.Message); }
            }
            var result = await worker.ProjectAsync(
                new ProjectionJob(image, corruption, steps, seed, known, classAsked, imagesLike), cancel);
            known?.Dispose();
            var labels = new List<string> { "x" };
            var images = new List<string> { Png.DataUrl(result.Input) };
            if (corruption is not null) { labels.Add("c(x)"); images.Add(Png.DataUrl(result.Corrupted)); }
            for (int k = 1; k <= result.Outputs.Count; k++)
            {
                labels.Add(k == 1 ? "f(c(x))" : $"f^{k}(c(x))");
                images.Add(Png.DataUrl(result.Outputs[k - 1]));
            }
            foreach (var t in result.Outputs.Append(result.Input).Append(result.Corrupted).Append(image)) t.Dispose();
            return Results.Ok(new ProjectResponse([.. labels], [.. images], clock.Elapsed.TotalMilliseconds,
                result.Score?.Distance, result.Score?.Percentile));
        })
          .DisableAntiforgery()
          .Accepts<IFormFile>("multipart/form-data")
          .Produces<ProjectResponse>()
          .ProducesProblem(400)
          .WithSummary("Make It Real: an uploaded image, optionally corrupted "
              + "(noise:0.3, occlude:10, sketch, lowres:7, ...), and f, f∘f, ... applied to it");

        api.MapPost("/score", async (HttpRequest request, ModelWorker worker, CancellationToken cancel) =>
        {
            if (!request.HasFormContentType) return Bad("send multipart/form-data with an 'image' file");
            var form = await request.ReadFormAsync(cancel);
            var (image, error) = await ReadImage(form, worker, options, InvertMode.Auto, cancel);
            if (image is null) return error!;
            using (image)
            {
                var score = await worker.ScoreAsync(image, cancel);
                return score is null
                    ? Results.Problem("the score needs the model's test set to calibrate, and it is not available",
                        statusCode: 503)
                    : Results.Ok(score);
            }
        })
          .DisableAntiforgery()
          .Accepts<IFormFile>("multipart/form-data")
          .Produces<Ign.Evaluation.ImageScore>()
          .ProducesProblem(400)
          .WithSummary("Out-of-distribution score of an uploaded image: |f(x) − x|, |f(f(x)) − f(x)| and the first's "
              + "percentile among test images");

        api.MapGet("/generate", async (ModelWorker worker, int? count, int? seed, int? steps,
            [Microsoft.AspNetCore.Mvc.FromQuery(Name = "class")] string? classText, CancellationToken cancel) =>
        {
            var clock = Stopwatch.StartNew();
            int n = count ?? 16, s = seed ?? 0, k = steps ?? 1;
            if (n is < 1 or > MaxCount) return Bad($"count must be from 1 to {MaxCount}");
            if (s is < 0 or > MaxSeed) return Bad($"seed must be from 0 to {MaxSeed}");
            if (k is < 1 or > MaxSteps) return Bad($"steps must be from 1 to {MaxSteps}");
            var (classAsked, classError) = ClassOf(classText ?? "", worker);
            if (classError is not null) return classError;
            string png = await worker.RunAsync(m =>
            {
                using var generator = new Generator((ulong)s);
                var z = m.Prior.Sample(n, m.Device, generator);
                using var classes = classAsked is { } c ? m.ClassLabels(c, n) : null;
                return Png.DataUrl([m.Apply(z, [k], NormMode.Running, InputKind.Noise, classes)[0]],
                    columns: (int)Math.Ceiling(Math.Sqrt(n)));
            }, cancel);
            return Results.Ok(new ImageResponse(png, clock.Elapsed.TotalMilliseconds));
        })
          .Produces<ImageResponse>()
          .ProducesProblem(400)
          .WithSummary("count samples f^steps(z) from noise of a seed, as one PNG grid");

        api.MapGet("/interpolate", async (ModelWorker worker, int? from, int? to, double? t, int? steps,
            CancellationToken cancel) =>
        {
            var clock = Stopwatch.StartNew();
            int a = from ?? 0, b = to ?? 1, k = steps ?? 1;
            double position = t ?? 0.5;
            if (a is < 0 or > MaxSeed || b is < 0 or > MaxSeed)
                return Bad($"from and to must be seeds from 0 to {MaxSeed}");
            if (!double.IsFinite(position) || position is < 0 or > 1) return Bad("t must be between 0 and 1");
            if (k is < 1 or > MaxSteps) return Bad($"steps must be from 1 to {MaxSteps}");
            string png = await worker.RunAsync(m =>
            {
                Tensor Z(int seed) { using var g = new Generator((ulong)seed); return m.Prior.Sample(1, m.Device, g); }
                var z = LatentOps.Between(Z(a), Z(b), position, spherical: true);
                return Png.DataUrl(m.Apply(z, [k], NormMode.Running, InputKind.Noise)[0][0]);
            }, cancel);
            return Results.Ok(new ImageResponse(png, clock.Elapsed.TotalMilliseconds));
        })
          .Produces<ImageResponse>()
          .ProducesProblem(400)
          .WithSummary("f^steps of the point at t on the great circle from the noise of seed 'from' "
              + "to that of seed 'to'");
    }

    /// <summary>The form's 'image' file as (1, C, S, S) in [-1, 1], or the 400 that says what is wrong with it.
    /// </summary>
    private static async Task<(Tensor? Image, IResult? Error)> ReadImage(IFormCollection form, ModelWorker worker,
        ServeOptions options, InvertMode invert, CancellationToken cancel)
    {
        var file = form.Files.GetFile("image");
        if (file is null || file.Length == 0) return (null, Bad("the form needs a non-empty 'image' file"));
        var (bytes, error) = await ReadUpload(file, "image", options, cancel);
        if (bytes is null) return (null, error);
        try
        {
            return (ImageLoader.FromBytes(bytes, worker.Channels, worker.ImageSize, LoadOptions(worker, invert),
                file.FileName), null);
        }
        catch (InvalidDataException e) { return (null, Bad(e.Message)); }
    }

    /// <summary>An uploaded file's bytes, refused when larger than the server takes.</summary>
    private static async Task<(byte[]? Bytes, IResult? Error)> ReadUpload(IFormFile file, string what,
        ServeOptions options, CancellationToken cancel)
    {
        if (file.Length > options.MaxUploadBytes)
            return (null, Bad($"the {what} is larger than {options.MaxUploadBytes >> 20} MB"));
        using var memory = new MemoryStream();
        await file.CopyToAsync(memory, cancel);
        return (memory.ToArray(), null);
    }

    /// <summary>How the server places pictures: the model's margin, the given inversion.</summary>
    private static ImageLoadOptions LoadOptions(ModelWorker worker, InvertMode invert) =>
        ImageLoadOptions.ForModel(worker.Channels, worker.ImageSize) with { Invert = invert };

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues value, int fallback, int min, int max,
        out int result)
    {
        result = fallback;
        if (value.Count == 0 || string.IsNullOrEmpty(value[0])) return true;
        return int.TryParse(value[0], out result) && result >= min && result <= max;
    }
}
