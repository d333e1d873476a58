using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ign.Web;

namespace Ign.Tests.Web;

/// <summary>A test server over a tiny class-conditional model.</summary>
public sealed class ConditionalServerFixture : ServerFixture
{
    protected override bool Conditional => true;
}

public class ConditionalServeTests(ConditionalServerFixture server) : IClassFixture<ConditionalServerFixture>
{
    private readonly HttpClient client = server.Client;

    private static MultipartFormDataContent Drawing(params (string Name, string Value)[] fields) =>
        DrawingForm.With(fields);

    [Fact]
    public async Task The_model_says_its_classes_and_generate_and_project_take_one()
    {
        var info = (await client.GetFromJsonAsync<ModelInfo>("/api/model"))!;
        Assert.Equal(10, info.Classes);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/generate?count=4&class=3")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/generate?count=4&class=any")).StatusCode);
        var response = await client.PostAsync("/api/project", Drawing(("class", "7"), ("steps", "2")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["x", "f(c(x))", "f^2(c(x))"], (await response.Content.ReadFromJsonAsync<ProjectResponse>())!.Labels);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-1")]
    [InlineData("seven")]
    public async Task A_class_the_model_does_not_have_is_400(string label)
    {
        var generated = await client.GetAsync($"/api/generate?class={label}");
        Assert.Equal(HttpStatusCode.BadRequest, generated.StatusCode);
        var projected = await client.PostAsync("/api/project", Drawing(("class", label)));
        Assert.Equal(HttpStatusCode.BadRequest, projected.StatusCode);
        using var body = JsonDocument.Parse(await projected.Content.ReadAsStringAsync());
        Assert.Contains("from 0 to 9", body.RootElement.GetProperty("detail").GetString());
    }
}
