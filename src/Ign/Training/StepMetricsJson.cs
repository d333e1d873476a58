using System.Text.Json;
using System.Text.Json.Serialization;
using Ign.Objective;

namespace Ign.Training;

/// <summary>
/// A <see cref="StepMetrics"/> as one flat JSON object: step, epoch, total, a field per loss term named by
/// <see cref="LossTerm.Key"/>, images per second, elapsed seconds, RSS. Reads lines written before a term existed
/// (it is 0) and ignores fields it does not know.
/// </summary>
public sealed class StepMetricsJson : JsonConverter<StepMetrics>
{
    private const string Step = "step", Epoch = "epoch", Total = "total", ImagesPerSecond = "imagesPerSecond",
        ElapsedSeconds = "elapsedSeconds", RssMiB = "rssMiB";

    public override StepMetrics Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var fields = document.RootElement;
        if (fields.ValueKind != JsonValueKind.Object) throw new JsonException("a metrics line must be a JSON object");
        T Number<T>(string name) where T : struct =>
            fields.TryGetProperty(name, out var value) ? value.Deserialize<T>(options) : default;
        var terms = LossTerms.All.Select(t => Number<float>(t.Key)).ToArray();
        return new StepMetrics
        {
            Step = Number<long>(Step), Epoch = Number<long>(Epoch),
            Losses = new LossValues(Number<float>(Total), terms),
            ImagesPerSecond = Number<double>(ImagesPerSecond), ElapsedSeconds = Number<double>(ElapsedSeconds),
            RssMiB = Number<double>(RssMiB),
        };
    }

    public override void Write(Utf8JsonWriter writer, StepMetrics value, JsonSerializerOptions options)
    {
        void Field<T>(string name, T number)
        {
            writer.WritePropertyName(name);
            JsonSerializer.Serialize(writer, number, options);   // NaN and ∞ as the options allow
        }
        writer.WriteStartObject();
        writer.WriteNumber(Step, value.Step);
        writer.WriteNumber(Epoch, value.Epoch);
        Field(Total, value.Losses.Total);
        foreach (var term in LossTerms.All) Field(term.Key, value.Losses[term]);
        Field(ImagesPerSecond, value.ImagesPerSecond);
        Field(ElapsedSeconds, value.ElapsedSeconds);
        Field(RssMiB, value.RssMiB);
        writer.WriteEndObject();
    }
}
