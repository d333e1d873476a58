using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ign.Training;
using Ign.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using SkiaSharp;

namespace Ign.Tests.Web;

/// <summary>One test server over a tiny trained model, shared by the API tests.</summary>
public class ServerFixture : IAsyncLifetime
{
    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Whether the tiny model is class-conditional.</summary>
    protected virtual bool Conditional => false;

    /// <summary>Kinds of corrupted image the served model gets BatchNorm statistics of (none: served as trained).
    /// </summary>
    protected virtual string[] ImageKinds => [];

    public async Task InitializeAsync()
    {
        string dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 2, Conditional = Conditional };
        using (var trainer = new Trainer(config, TestData.RandomImages(), dir)) trainer.Run();
        string model = Path.Combine(dir, "model.ckpt");
        if (ImageKinds.Length > 0)
            ModelFiles.ExportModelOnly(model, model = Path.Combine(dir, "kinds.ckpt"), half: false,
                recalibrateBatches: 2, imageKinds: [.. ImageKinds.Select(Ign.Corruptions.CorruptionParser.Parse)]);
        App = ServeApp.Build(new ServeOptions { Checkpoint = model, MaxUploadBytes = 1 << 20 },
                             b => b.WebHost.UseTestServer());
        await App.StartAsync();
        Client = App.GetTestClient();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public class ServeApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient client = server.Client;

    private static byte[] Drawing(int w = 60, int h = 80)
    {
        using var bitmap = new SKBitmap(w, h);
        bitmap.Erase(SKColors.Black);
        for (int y = 10; y < h - 10; y++) for (int x = w / 2 - 3; x < w / 2 + 3; x++) bitmap.SetPixel(x, y, SKColors.White);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static MultipartFormDataContent Form(byte[]? image, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (image is not null) form.Add(new ByteArrayContent(image), "image", "drawing.png");
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    private static byte[] Decode(string dataUrl)
    {
        Assert.StartsWith("data:image/png;base64,", dataUrl);
        return Convert.FromBase64String(dataUrl["data:image/png;base64,".Length..]);
    }

    [Fact]
    public async Task Projection_returns_x_the_corruption_and_three_applications_of_f()
    {
        var response = await client.PostAsync("/api/project", Form(Drawing(), ("corrupt", "noise:0.3"), ("steps", "3")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<ProjectResponse>())!;
        Assert.Equal(["x", "c(x)", "f(c(x))", "f^2(c(x))", "f^3(c(x))"], result.Labels);
        foreach (var image in result.Images)
        {
            using var bitmap = SKBitmap.Decode(Decode(image));
            Assert.Equal((28, 28), (bitmap.Width, bitmap.Height));
        }
        Assert.NotEqual(result.Images[0], result.Images[2]);
        // how far c(x) was from the data: |f(c(x)) − c(x)| and its rank among the model's test images
        Assert.True(result.Distance > 0);
        Assert.InRange(result.Percentile!.Value, 0, 100);
    }

    [Fact]
    public async Task Score_rates_an_image_with_its_percentile_and_refuses_what_is_not_one()
    {
        var response = await client.PostAsync("/api/score", Form(Drawing()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var score = (await response.Content.ReadFromJsonAsync<Ign.Evaluation.ImageScore>())!;
        Assert.True(score.Distance > 0 && score.IdempotenceGap >= 0);
        Assert.InRange(score.Percentile, 0, 100);

        var again = (await (await client.PostAsync("/api/score", Form(Drawing()))).Content
            .ReadFromJsonAsync<Ign.Evaluation.ImageScore>())!;
        Assert.Equal(score, again);                                    // per-input statistics: the same every time
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/score", Form([1, 2, 3]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/score", Form(null))).StatusCode);
    }

    [Fact]
    public async Task A_mask_keeps_the_picture_outside_it_and_repaints_inside()
    {
        using var mask = new SKBitmap(60, 80);
        mask.Erase(SKColors.Black);
        for (int y = 0; y < 40; y++) for (int c = 0; c < 60; c++) mask.SetPixel(c, y, SKColors.White); // top half
        using var maskData = mask.Encode(SKEncodedImageFormat.Png, 100);
        using var form = Form(Drawing(), ("steps", "2"));
        form.Add(new ByteArrayContent(maskData.ToArray()), "mask", "mask.png");

        var response = await client.PostAsync("/api/project", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var images = body.GetProperty("images").EnumerateArray().Select(i => Decode(i.GetString()!)).ToList();
        using var input = SKBitmap.Decode(images[0]);
        using var second = SKBitmap.Decode(images[^1]);
        int keptDiffer = 0, repainted = 0;
        for (int row = 0; row < input.Height; row++)
            for (int col = 0; col < input.Width; col++)
            {
                bool same = input.GetPixel(col, row) == second.GetPixel(col, row);
                if (row >= input.Height * 3 / 4 && !same) keptDiffer++;   // well inside the kept bottom part
                if (row < input.Height / 4 && !same) repainted++;         // well inside the repainted top part
            }
        Assert.Equal(0, keptDiffer);
        Assert.True(repainted > 0, "f repainted nothing");
    }

    [Fact]
    public async Task Concurrent_projections_are_answered_each_with_its_own_image()
    {
        var tasks = Enumerable.Range(0, 12).Select(i => client.PostAsync("/api/project", Form(Drawing(40 + i, 60), ("steps", "1")))).ToList();
        var responses = await Task.WhenAll(tasks);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // the same drawing gives the same output whether it came alone or in a batch (running BatchNorm statistics)
        var alone = (await (await client.PostAsync("/api/project", Form(Drawing(40, 60), ("steps", "1")))).Content.ReadFromJsonAsync<ProjectResponse>())!;
        var inCrowd = (await responses[0].Content.ReadFromJsonAsync<ProjectResponse>())!;
        Assert.Equal(alone.Images[1], inCrowd.Images[1]);
    }

    [Fact]
    public async Task Generate_and_interpolate_return_images()
    {
        var generated = await client.GetFromJsonAsync<ImageResponse>("/api/generate?count=9&seed=3&steps=2");
        using (var grid = SKBitmap.Decode(Decode(generated!.Image))) Assert.True(grid.Width > 3 * 28);
        var between = await client.GetFromJsonAsync<ImageResponse>("/api/interpolate?from=1&to=2&t=0.25");
        using var single = SKBitmap.Decode(Decode(between!.Image));
        Assert.Equal(28, single.Width);
    }

    [Fact]
    public async Task The_page_and_the_api_description_are_served()
    {
        string page = await client.GetStringAsync("/");
        Assert.Contains("Make It Real", page);
        Assert.Contains("app.js", page);
        Assert.Contains("pixelated", await client.GetStringAsync("/style.css"));
        string openApi = await client.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/project", "/api/generate", "/api/interpolate" }) Assert.Contains(path, openApi);
    }

    public static TheoryData<string, string> BadProjections => new()
    {
        { "no image", "image" },
        { "empty image", "non-empty" },
        { "undecodable", "not an image" },
        { "corrupt gif", "drawing.png" },
        { "too large", "" },
        { "steps zero", "steps" },
        { "steps text", "steps" },
        { "seed negative", "seed" },
        { "unknown corruption", "unknown corruption" },
        { "bad parameter", "sigma" },
        { "invert", "invert" },
        { "grayscale on grey", "colour" },
        { "class on an unconditional model", "class-conditional" },
        { "not multipart", "" },
    };

    [Theory]
    [MemberData(nameof(BadProjections))]
    public async Task Bad_projection_requests_are_400_with_a_problem_body(string kind, string expected)
    {
        HttpContent content = kind switch
        {
            "no image" => Form(null, ("steps", "1")),
            "empty image" => Form([]),
            "undecodable" => Form("definitely not a picture"u8.ToArray()),
            "corrupt gif" => Form("GIF89a not really"u8.ToArray()),
            "too large" => Form(new byte[2 << 20]),
            "steps zero" => Form(Drawing(), ("steps", "0")),
            "steps text" => Form(Drawing(), ("steps", "many")),
            "seed negative" => Form(Drawing(), ("seed", "-4")),
            "unknown corruption" => Form(Drawing(), ("corrupt", "fog")),
            "bad parameter" => Form(Drawing(), ("corrupt", "noise:loud")),
            "invert" => Form(Drawing(), ("invert", "sometimes")),
            "grayscale on grey" => Form(Drawing(), ("corrupt", "grayscale")),
            "class on an unconditional model" => Form(Drawing(), ("class", "3")),
            _ => JsonContent.Create(new { image = "x" }),
        };
        var response = await client.PostAsync("/api/project", content);
        // a body that is not a form at all is refused by content type, the standard 415; everything else is a 400
        Assert.Equal(kind == "not multipart" ? HttpStatusCode.UnsupportedMediaType : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)response.StatusCode, body.RootElement.GetProperty("status").GetInt32());
        if (expected.Length > 0) Assert.Contains(expected, body.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/generate?count=0")]
    [InlineData("/api/generate?count=100000")]
    [InlineData("/api/generate?count=abc")]
    [InlineData("/api/generate?seed=-1")]
    [InlineData("/api/generate?steps=11")]
    [InlineData("/api/interpolate?t=1.5")]
    [InlineData("/api/interpolate?t=NaN")]
    [InlineData("/api/interpolate?from=-2")]
    [InlineData("/api/interpolate?steps=0")]
    [InlineData("/api/generate?class=3")]
    public async Task Absurd_query_values_are_400_never_500(string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public class ServeNumericsTests
{
    [Fact]
    public async Task A_non_finite_image_is_a_problem_response_never_a_picture()
    {
        string dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 1 };
        using (var trainer = new Trainer(config, TestData.RandomImages(), dir)) trainer.Run();
        // the model thread starts inside Build and inherits this flow's kernels: deconv5 returns NaN, as a wrong kernel did
        using var broken = Ign.Numerics.ConvolutionGuard.UseKernels(shape =>
            shape.OutChannels == 1 ? (x, w) => Ign.Numerics.UnfoldConvolution.Apply(shape, x, w, null) * float.NaN : null);
        await using var app = ServeApp.Build(new ServeOptions { Checkpoint = Path.Combine(dir, "model.ckpt"), MaxUploadBytes = 1 << 20 },
                                             b => b.WebHost.UseTestServer());
        await app.StartAsync();
        var response = await app.GetTestClient().GetAsync("/api/generate?count=4&seed=1");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("numerics fault", problem.GetProperty("title").GetString());
        Assert.Contains("NaN or infinite", problem.GetProperty("detail").GetString());
    }
}
