using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ign.Web;

namespace Ign.Tests.Web;

/// <summary>A test server over a tiny model with BatchNorm statistics of low-resolution images.</summary>
public sealed class ImageKindServerFixture : ServerFixture
{
    protected override string[] ImageKinds => ["lowres"];
}

public class ImageKindServeTests(ImageKindServerFixture server) : IClassFixture<ImageKindServerFixture>
{
    private readonly HttpClient client = server.Client;

    private static MultipartFormDataContent Drawing(params (string Name, string Value)[] fields) =>
        DrawingForm.With(fields);

    private async Task<ProjectResponse> Projected(params (string Name, string Value)[] fields)
    {
        var response = await client.PostAsync("/api/project", Drawing(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ProjectResponse>())!;
    }

    [Fact]
    public async Task The_model_says_its_image_kinds_and_a_projection_told_the_kind_uses_their_statistics()
    {
        var info = (await client.GetFromJsonAsync<ModelInfo>("/api/model"))!;
        Assert.Equal(["lowres"], info.ImageKinds!);
        // a low-resolution input: "auto" follows the corruption, so it matches asking for lowres, not "image"
        var auto = await Projected(("corrupt", "lowres:7"), ("steps", "1"));
        var told = await Projected(("corrupt", "lowres:7"), ("steps", "1"), ("inputKind", "lowres"));
        var clean = await Projected(("corrupt", "lowres:7"), ("steps", "1"), ("inputKind", "image"));
        Assert.Equal(told.Images[^1], auto.Images[^1]);
        Assert.NotEqual(clean.Images[^1], auto.Images[^1]);
        // a drawing told it is low resolution is projected with those statistics too
        Assert.NotEqual((await Projected(("inputKind", "lowres"))).Images[^1], (await Projected()).Images[^1]);
    }

    [Fact]
    public async Task A_kind_the_model_has_no_statistics_of_is_400_with_the_kinds_it_has()
    {
        var response = await client.PostAsync("/api/project", Drawing(("inputKind", "sketch")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("auto, image, lowres", body.RootElement.GetProperty("detail").GetString());
    }
}
