using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using Ign.IO;
using Ign.Web;
using SkiaSharp;

namespace Ign.Cli.Commands;

/// <summary>`ign loadtest`: a bounded mix of valid and malformed requests against a running `ign serve`.</summary>
public static class LoadTestCommand
{
    private static readonly Option<string> Url = Opt.With("--url", "http://127.0.0.1:5080", "the server");
    private static readonly Option<int> Requests = Opt.With("--requests", 2000, "requests after the warm-up");
    private static readonly Option<int> Concurrency = Opt.With("--concurrency", 32, "requests in flight at once");
    private static readonly Option<int> Warmup = Opt.With("--warmup", 300, "requests before memory is first read");
    private static readonly Option<string?> Out = Opt.Of<string?>("--out", "JSON report");

    public static Command Create()
    {
        var command = new Command("loadtest",
            "send a bounded mix of valid and malformed requests to `ign serve` " +
            "and report status codes, latency and server memory");
        foreach (var o in new Option[] { Url, Requests, Concurrency, Warmup, Out }) command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(() => Execute(parse).GetAwaiter().GetResult()));
        return command;
    }

    private sealed record Outcome(string Kind, int Status, double Milliseconds);

    private static readonly string[] Kinds = ["project", "project-corrupted", "generate", "interpolate", "bad-image",
        "bad-steps", "bad-corruption", "bad-count", "empty-form"];

    private static async Task<int> Execute(ParseResult parse)
    {
        int requests = parse.GetValue(Requests), concurrency = parse.GetValue(Concurrency),
            warmup = parse.GetValue(Warmup);
        if (requests is < 1 or > 1_000_000 || concurrency is < 1 or > 1024 || warmup < 0)
            throw new ArgumentException("--requests 1..1000000, --concurrency 1..1024, --warmup ≥ 0");
        using var client = new HttpClient
        {
            BaseAddress = new Uri(parse.GetValue(Url)!), Timeout = TimeSpan.FromSeconds(60),
        };
        try { await client.GetFromJsonAsync<ModelInfo>("/api/model"); }
        catch (HttpRequestException e)
        {
            throw new IOException(
                $"{client.BaseAddress}: no ign server answers ({e.Message}); start one with `ign serve`");
        }

        var drawings = Enumerable.Range(0, 16).Select(Drawing).ToArray();
        await Run(client, warmup, concurrency, drawings, new ConcurrentBag<Outcome>());
        var before = await client.GetFromJsonAsync<Health>("/api/health");
        var outcomes = new ConcurrentBag<Outcome>();
        var clock = Stopwatch.StartNew();
        await Run(client, requests, concurrency, drawings, outcomes);
        double seconds = clock.Elapsed.TotalSeconds;
        var after = await client.GetFromJsonAsync<Health>("/api/health");

        Console.WriteLine($"{requests} requests, {concurrency} concurrent, in {seconds:F1} s " +
            $"({requests / seconds:F0} req/s); warm-up {warmup}");
        Console.WriteLine($"{"kind",-18} {"n",6} {"statuses",-22} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
        var rows = outcomes.GroupBy(o => o.Kind).OrderBy(g => Array.IndexOf(Kinds, g.Key)).Select(g =>
        {
            var ms = g.Select(o => o.Milliseconds).Order().ToArray();
            string statuses = string.Join(" ", g.GroupBy(o => o.Status).OrderBy(s => s.Key)
                .Select(s => $"{s.Key}×{s.Count()}"));
            Console.WriteLine($"{g.Key,-18} {ms.Length,6} {statuses,-22} " +
                $"{Percentile(ms, 0.5),8:F1} {Percentile(ms, 0.95),8:F1} {ms[^1],8:F1}");
            return new { kind = g.Key, count = ms.Length, statuses,
                p50 = Percentile(ms, 0.5), p95 = Percentile(ms, 0.95), max = ms[^1] };
        }).ToList();
        int serverErrors = outcomes.Count(o => o.Status >= 500 || o.Status == 0);
        double growth = 100 * (after!.ResidentMiB - before!.ResidentMiB) / before.ResidentMiB;
        Console.WriteLine($"5xx or failed: {serverErrors}; " +
            $"server RSS {before.ResidentMiB:F0} → {after.ResidentMiB:F0} MiB ({growth:+0.0;-0.0} %); " +
            $"{after.ImagesProjected - before.ImagesProjected} images projected " +
            $"in {after.Batches - before.Batches} batches");
        if (parse.GetValue(Out) is { } outPath)
            AtomicFile.WriteAllText(outPath, Json.Serialize(new
            {
                requests, concurrency, warmup, seconds, rows, serverErrors,
                rssBefore = before.ResidentMiB, rssAfter = after.ResidentMiB,
                projected = after.ImagesProjected - before.ImagesProjected, batches = after.Batches - before.Batches,
            }));
        return serverErrors == 0 ? 0 : 2;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static async Task Run(HttpClient client, int count, int concurrency, byte[][] drawings,
        ConcurrentBag<Outcome> outcomes)
    {
        int next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                string kind = Kinds[i % Kinds.Length];
                var clock = Stopwatch.StartNew();
                int status;
                try
                {
                    using var response = await Send(client, kind, i, drawings);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { status = 0; }
                outcomes.Add(new Outcome(kind, status, clock.Elapsed.TotalMilliseconds));
            }
        });
        await Task.WhenAll(workers);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string kind, int i, byte[][] drawings)
    {
        MultipartFormDataContent Form(byte[] image, params (string, string)[] fields)
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(image), "image", "d.png" } };
            foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
            return form;
        }
        var drawing = drawings[i % drawings.Length];
        return kind switch
        {
            "project" => client.PostAsync("/api/project", Form(drawing, ("steps", "3"))),
            "project-corrupted" => client.PostAsync("/api/project",
                Form(drawing, ("corrupt", "noise:0.4"), ("steps", "2"), ("seed", i.ToString()))),
            "generate" => client.GetAsync($"/api/generate?count=16&seed={i}"),
            "interpolate" => client.GetAsync($"/api/interpolate?from=1&to=2&t={i % 50 / 49.0:F3}"),
            "bad-image" => client.PostAsync("/api/project", Form("GIF89a not really"u8.ToArray())),
            "bad-steps" => client.PostAsync("/api/project", Form(drawing, ("steps", "-5"))),
            "bad-corruption" => client.PostAsync("/api/project", Form(drawing, ("corrupt", "noise:sigma=1e9"))),
            "bad-count" => client.GetAsync("/api/generate?count=99999999999"),
            _ => client.PostAsync("/api/project", new MultipartFormDataContent()),
        };
    }

    /// <summary>A white stroke on black, different for each index.</summary>
    private static byte[] Drawing(int index)
    {
        using var bitmap = new SKBitmap(120, 120);
        bitmap.Erase(SKColors.Black);
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint
        {
            Color = SKColors.White, StrokeWidth = 12, IsStroke = true, IsAntialias = true,
            StrokeCap = SKStrokeCap.Round,
        };
        var random = new Random(index);
        canvas.DrawLine(random.Next(20, 100), random.Next(10, 40), random.Next(20, 100), random.Next(80, 110), paint);
        canvas.DrawLine(random.Next(20, 100), random.Next(10, 110), random.Next(20, 100), random.Next(10, 110), paint);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
