using Ign.Training;
using Ign.Web;
using Microsoft.Playwright;

namespace Ign.Tests.Web;

/// <summary>
/// The page in a real browser: Debian's chromium driven by Playwright (no browser download). Skipped where
/// chromium is not installed, unless IGN_REQUIRE_BROWSER=1 (set by .ci/run, which installs it), then it fails.
/// </summary>
public class BrowserTests
{
    private static string? Chromium() =>
        new[] { Environment.GetEnvironmentVariable("IGN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(p => p is not null && File.Exists(p));

    /// <summary>chromium's path; the test is skipped without it, or fails where CI asked for a browser.</summary>
    private static string RequireChromium()
    {
        string? chromium = Chromium();
        if (Environment.GetEnvironmentVariable("IGN_REQUIRE_BROWSER") == "1")
            Assert.True(chromium is not null, "chromium not found: apt-get install chromium (or set IGN_CHROMIUM)");
        Skip.If(chromium is null, "chromium not installed (apt-get install chromium); .ci/run installs it");
        return chromium!;
    }

    [SkippableFact]
    public async Task Drawing_a_stroke_and_pressing_Make_It_Real_shows_real_images()
    {
        string chromium = RequireChromium();

        // IGN_SERVE_CHECKPOINT=models/ign-mnist.ckpt takes the README's screenshot with the shipped model
        string? checkpoint = Environment.GetEnvironmentVariable("IGN_SERVE_CHECKPOINT");
        if (checkpoint is null)
        {
            string dir = TestData.TempDir();
            var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 2 };
            using (var trainer = new Trainer(config, TestData.RandomImages(), dir)) trainer.Run();
            checkpoint = Path.Combine(dir, "model.ckpt");
        }
        await using var app = ServeApp.Build(new ServeOptions { Checkpoint = checkpoint, Port = 0 });
        await app.StartAsync();
        string url = app.Urls.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);

        await page.GotoAsync(url);
        var pad = await page.QuerySelectorAsync("#pad");
        var box = (await pad!.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height * 0.2f);
        await page.Mouse.DownAsync();
        for (int i = 1; i <= 10; i++) await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height * (0.2f + 0.06f * i));
        await page.Mouse.UpAsync();
        await page.SelectOptionAsync("#corruption", "noise");
        await page.ClickAsync("#make-real");
        await page.WaitForFunctionAsync("document.querySelectorAll('#outputs img').length >= 5 && [...document.querySelectorAll('#outputs img')].every(i => i.complete && i.naturalWidth > 0)");

        var sources = await page.EvalOnSelectorAllAsync<string[]>("#outputs img", "imgs => imgs.map(i => i.src)");
        var widths = await page.EvalOnSelectorAllAsync<int[]>("#outputs img", "imgs => imgs.map(i => i.naturalWidth)");
        var labels = await page.EvalOnSelectorAllAsync<string[]>("#outputs figcaption", "cs => cs.map(c => c.textContent)");
        Assert.Equal(["x", "c(x)", "f(c(x))", "f^2(c(x))", "f^3(c(x))"], labels);
        Assert.All(widths, w => Assert.Equal(28, w));
        Assert.All(sources, s => Assert.StartsWith("data:image/png;base64,", s));
        Assert.NotEqual(sources[0], sources[2]); // f changed the drawing
        Assert.Contains("% of test images move", await page.TextContentAsync("#score")); // how far from the data
        Assert.False(await page.IsVisibleAsync("#project-class"), "an unconditional model has no class to pick");
        // ign train gives a model lowres and sketch statistics, so the page asks what the input is
        await page.WaitForSelectorAsync("#input-kind", new() { State = WaitForSelectorState.Visible });
        Assert.Equal(["auto", "image", "lowres", "sketch"],
            await page.EvalOnSelectorAllAsync<string[]>("#input-kind option", "os => os.map(o => o.value)"));
        await page.WaitForFunctionAsync("document.getElementById('grid').naturalWidth > 0"); // the generate panel loaded too
        Assert.Empty(problems);

        string screenshot = Path.Combine(TestData.TempDir(), "serve.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        string? keep = Environment.GetEnvironmentVariable("IGN_SCREENSHOT");
        if (keep is not null) File.Copy(screenshot, keep, overwrite: true);
    }

    [SkippableFact]
    public async Task A_conditional_model_gets_class_pickers_that_generate_and_project_use()
    {
        string chromium = RequireChromium();
        string dir = TestData.TempDir();
        var config = TrainConfig.FromPreset("tiny") with { MaxSteps = 2, Conditional = true };
        using (var trainer = new Trainer(config, TestData.RandomImages(), dir)) trainer.Run();
        await using var app = ServeApp.Build(new ServeOptions { Checkpoint = Path.Combine(dir, "model.ckpt"), Port = 0 });
        await app.StartAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync(app.Urls.First());

        await page.WaitForSelectorAsync("#project-class", new() { State = WaitForSelectorState.Visible });
        var options = await page.EvalOnSelectorAllAsync<string[]>("#gen-class option", "os => os.map(o => o.value)");
        Assert.Equal(["any", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], options);
        await page.SelectOptionAsync("#gen-class", "7");
        await page.ClickAsync("#generate");
        // the form the page sends, read at fetch (a multipart body with a file is not visible to the browser's request log)
        await page.EvaluateAsync(@"() => {
            window.sentForms = [];
            const original = window.fetch;
            window.fetch = (url, init) => {
                if (init && init.body instanceof FormData)
                    window.sentForms.push(Object.fromEntries([...init.body.entries()].filter(([, v]) => typeof v === 'string')));
                return original(url, init);
            };
        }");
        await page.SelectOptionAsync("#project-class", "3");
        await page.ClickAsync("#make-real");
        await page.WaitForFunctionAsync("document.querySelectorAll('#outputs img').length >= 4");
        Assert.Contains(requests, r => r.Contains("/api/generate?") && r.Contains("class=7"));
        var sent = await page.EvaluateAsync<Dictionary<string, string>[]>("() => window.sentForms");
        Assert.Equal("3", Assert.Single(sent)["class"]);
        Assert.Empty(problems);
    }
}
