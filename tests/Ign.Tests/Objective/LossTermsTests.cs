using System.Reflection;
using Ign.IO;
using Ign.Objective;
using Ign.Training;

namespace Ign.Tests.Objective;

public class LossTermsTests
{
    [Fact]
    public void Every_weight_of_the_objective_has_exactly_one_term_and_each_term_its_place()
    {
        Assert.Equal(Enumerable.Range(0, LossTerms.All.Count), LossTerms.All.Select(t => t.Index));
        Assert.Equal(LossTerms.All.Count, LossTerms.All.Select(t => t.Key).Distinct().Count());
        Assert.Equal(LossTerms.All.Count, LossTerms.All.Select(t => t.Short).Distinct().Count());
        // Give every λ of ObjectiveConfig its own value: a λ added without a term, or a term reading the wrong λ, shows.
        var lambdas = typeof(ObjectiveConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name.StartsWith("Lambda", StringComparison.Ordinal)).ToList();
        var config = new ObjectiveConfig();
        for (int i = 0; i < lambdas.Count; i++) lambdas[i].SetValue(config, 100f + i);
        var weights = LossTerms.All.Select(t => t.Weight(config)).ToList();
        Assert.Equal(lambdas.Select((_, i) => 100f + i).Order(), weights.Order());
        Assert.Equal(["reconstruction", "idempotence", "tightness"],
            LossTerms.All.Where(t => !t.Optional).Select(t => t.Key));
    }

    [Fact]
    public void A_metrics_line_round_trips_flat_and_old_lines_without_a_term_still_read()
    {
        var losses = new LossValues(12.5f, LossTerms.All.Select(t => 0.25f * (t.Index + 1)).ToArray());
        var metrics = new StepMetrics
        {
            Step = 7, Epoch = 1, Losses = losses, ImagesPerSecond = 210.5, ElapsedSeconds = 3.25, RssMiB = 900,
        };
        string line = Json.Serialize(metrics, indented: false);
        var fields = System.Text.Json.JsonDocument.Parse(line).RootElement.EnumerateObject().Select(p => p.Name);
        Assert.Equal(new[] { "step", "epoch", "total" }.Concat(LossTerms.All.Select(t => t.Key))
            .Concat(["imagesPerSecond", "elapsedSeconds", "rssMiB"]), fields);
        Assert.Equal(metrics, Json.Deserialize<StepMetrics>(line));

        // A line written before the wrong-class term existed, in the old field order, with a field we do not know.
        const string old = "{\"step\":3,\"epoch\":0,\"total\":17.8483,\"reconstruction\":0.82579017," +
            "\"idempotence\":0.3299326,\"tightness\":-0.33070874,\"imagesPerSecond\":70.5,\"elapsedSeconds\":3.6," +
            "\"rssMiB\":1435.7,\"meanMatch\":0.001,\"restoration\":0,\"restorationTwice\":0," +
            "\"reconstructionTwice\":0,\"offDataIdempotence\":0,\"somethingElse\":1}";
        var read = Json.Deserialize<StepMetrics>(old);
        Assert.Equal((3L, 17.8483f, 0.82579017f, -0.33070874f), (read.Step, read.Total, read.Losses.Reconstruction,
            read.Losses.Tightness));
        Assert.Equal(0.001f, read.Losses[LossTerms.MeanMatch]);
        Assert.Equal(0f, read.Losses[LossTerms.WrongClass]);
    }

    [Fact]
    public void The_values_show_the_papers_three_always_and_an_optional_term_only_when_it_is_on()
    {
        var values = LossValues.Zero.With(LossTerms.WrongClass, -0.5f) with { Total = 2 };
        Assert.Equal("total 2, rec 0, idem 0, tight 0, wrong -0.5", values.ToString());
        Assert.NotEqual(values, values.With(LossTerms.MeanMatch, 1e-3f));
        Assert.False(values.With(LossTerms.Restoration, float.NaN).AllFinite);
    }
}
