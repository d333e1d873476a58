using Ign.Data;
using Ign.Evaluation;
using Ign.Objective;
using Ign.Models;
using Ign.Normalization;
using Ign.Training;
using static TorchSharp.torch;

namespace Ign.Tests.Training;

public class ConditionalTrainingTests
{
    private static TrainConfig Conditional(long steps) => TrainerTests.Tiny(steps) with { Conditional = true };

    [Fact]
    public void The_loader_s_labels_are_those_of_the_images_of_the_same_step()
    {
        var data = TestData.RandomImages(40);
        var loader = new BatchLoader(data, 8, seed: 3);
        using var batches = loader.From(0, CPU).GetEnumerator();
        for (long step = 0; step < 7; step++)      // across an epoch's end (5 steps per epoch)
        {
            batches.MoveNext();
            using var x = batches.Current;
            using var labels = loader.LabelsAt(step, CPU);
            var order = loader.EpochOrder(step / loader.StepsPerEpoch);
            var expected = Enumerable.Range(0, 8).Select(i => (long)data.Labels![order[(int)(step % 5) * 8 + i]]);
            Assert.Equal(expected, labels.data<long>().ToArray());
            Assert.True(x.Same(data.Batch(order.Skip((int)(step % 5) * 8).Take(8).ToArray())));
        }
    }

    [Fact]
    public void Null_label_rate_zero_keeps_every_label_and_one_drops_them_all()
    {
        var labels = tensor(new long[] { 0, 1, 2, 3 });
        Assert.Equal([0L, 1, 2, 3], Conditioning.DropToNull(labels, 10, 0).data<long>().ToArray());
        Assert.Equal([10L, 10, 10, 10], Conditioning.DropToNull(labels, 10, 1).data<long>().ToArray());
    }

    [Fact]
    public void Wrong_classes_are_never_the_image_s_own_and_reach_every_other_class()
    {
        manual_seed(5);
        var own = randint(10, [5000], dtype: ScalarType.Int64);
        var wrong = ClassDraws.OtherThan(own, 10);
        Assert.Equal(0, wrong.eq(own).sum().item<long>());
        Assert.True(wrong.ge(0).all().item<bool>() && wrong.lt(10).all().item<bool>());
        var shift = (wrong - own).remainder(10).data<long>().ToArray();
        for (long k = 1; k < 10; k++)
            Assert.InRange(shift.Count(s => s == k), 450, 660);   // 5000 / 9 ≈ 556, σ ≈ 22
        Assert.Throws<ArgumentException>(() => ClassDraws.OtherThan(own, 1));
    }

    [Fact]
    public void The_wrong_class_term_is_refused_without_conditional()
    {
        var tiny = TrainerTests.Tiny(1);
        var config = tiny with { Objective = tiny.Objective with { LambdaWrongClass = 1 } };
        var e = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains("--lambda-wrong-class needs --conditional", e.Message);
        (config with { Conditional = true }).Validate();
    }

    [Fact]
    public void A_null_row_gain_must_be_positive_and_by_default_is_the_table_gain()
    {
        var config = Conditional(1);
        Assert.Null(config.NullRowGain);
        Assert.Contains("the null row's gain must be positive",
            Assert.Throws<ArgumentException>((config with { NullRowGain = 0 }).Validate).Message);
        Assert.Throws<ArgumentException>((config with { NullRowGain = double.NaN }).Validate);
        (config with { NullRowGain = 30 }).Validate();
    }

    [Fact]
    public void Recalibration_draws_classes_as_training_does_with_the_null_class_at_the_training_rate()
    {
        using var f = new DcganMnist(baseWidth: 8, classes: 10);
        using var generator = new Generator(4);
        long Nulls(double rate) =>
            Conditioning.AsInTraining(f, 4000, rate, generator, CPU)!.eq(10).sum().item<long>();
        Assert.Equal(0, Nulls(0));
        Assert.Equal(4000, Nulls(1));
        Assert.InRange(Nulls(0.5), 1850, 2150);     // binomial(4000, ½): σ ≈ 32
        Assert.InRange(Nulls(0.1), 330, 470);       // σ ≈ 19; a uniform draw over 11 labels gives ≈ 364 at any rate
        using var plain = new DcganMnist(baseWidth: 8);
        Assert.Null(Conditioning.AsInTraining(plain, 4, 0.5, generator, CPU));
    }

    [Fact]
    public void Recalibrated_statistics_of_a_model_trained_all_null_see_only_the_null_class_s_rows()
    {
        // with the null-label rate 1 the class rows 0–9 never reach the decoder, so changing them must not change
        // the statistics; at rate ½ they must
        manual_seed(7);
        using var f = new DcganMnist(baseWidth: 8, classes: 10);
        using (no_grad())
            foreach (var (_, table) in f.state_dict().Where(kv => CodeNetwork.IsClassTable(kv.Key)))
                table.normal_();
        var prior = new Ign.Priors.GaussianPrior(1, 28, 28);
        var images = TestData.RandomImages(32);
        NormStatistics Recalibrate(double rate) =>
            BatchNormRecalibration.Run(f, prior, images, CPU, batches: 2, batchSize: 16, seed: 3, nullLabelRate: rate)!;
        using var allNull = Recalibrate(1);
        using var half = Recalibrate(0.5);
        using (no_grad())
            foreach (var (_, table) in f.state_dict().Where(kv => CodeNetwork.IsClassTable(kv.Key)))
                table.narrow(0, 0, 10).normal_();
        using var allNullAgain = Recalibrate(1);
        using var halfAgain = Recalibrate(0.5);
        const string decoderMean = "decoder.bn1.running_mean";
        foreach (var kind in Enum.GetValues<InputKind>())
        {
            Assert.True(allNull.For(kind)[decoderMean].Same(allNullAgain.For(kind)[decoderMean]), $"{kind}: rate 1");
            Assert.False(half.For(kind)[decoderMean].Same(halfAgain.For(kind)[decoderMean]), $"{kind}: rate ½");
        }
    }

    [Fact]
    public void A_conditional_run_finds_its_classes_resumes_exactly_and_its_model_loads_conditional()
    {
        var data = TestData.RandomImages();
        string straightDir = TestData.TempDir(), splitDir = TestData.TempDir();
        static TrainConfig Gains(TrainConfig c) => c with
        {
            ClassTableGain = 2.5, NullRowGain = 1, Objective = c.Objective with { LambdaWrongClass = 1 },
        };
        using (var straight = new Trainer(Gains(Conditional(4)), data, straightDir))
        {
            Assert.Equal(2.5, ((CodeNetwork)straight.Network).TableGain);   // what trains is read as the run says
            Assert.Equal(1, ((CodeNetwork)straight.Network).NullRowGain);
            straight.Run();
        }
        using (var first = new Trainer(Gains(Conditional(2)), data, splitDir)) first.Run();
        using (var checkpoint = Checkpoint.Load(Path.Combine(splitDir, "checkpoint.ckpt")))
        {
            Assert.Equal(10, checkpoint.Header.Config.Classes);
            using var resumed = new Trainer(checkpoint.Header.Config with { MaxSteps = 4 }, data, splitDir, checkpoint);
            resumed.Run();
        }
        using var a = TrainedModel.Load(Path.Combine(straightDir, "model.ckpt"), CPU);
        using var b = TrainedModel.Load(Path.Combine(splitDir, "model.ckpt"), CPU);
        Assert.Equal(10, a.Classes);
        Assert.Equal(2.5, ((CodeNetwork)a.Network).TableGain);   // the run's gains, kept through resume and load
        Assert.Equal(1, ((CodeNetwork)a.Network).NullRowGain);
        foreach (var (name, value) in a.Network.state_dict())
            Assert.True(value.Same(b.Network.state_dict()[name]), $"{name} differs between a straight and a resumed run");
        // the class tables moved away from zero: the labels reached the network
        Assert.True(a.Network.state_dict()["label_norm.weight"].abs().sum().item<float>() > 0);
        using var z = a.Prior.Sample(3, CPU);
        var seven = a.Apply(z, [1], NormMode.Running, InputKind.Noise, a.ClassLabels(7, 3))[0];
        var none = a.Apply(z, [1], NormMode.Running, InputKind.Noise)[0];
        Assert.False(seven.Same(none));
    }

    [Fact]
    public void Data_without_labels_is_refused_for_a_conditional_run()
    {
        var labelled = TestData.RandomImages();
        var data = new ImageDataset("pictures", labelled.Pixels, labelled.Count, 1, 28, 28);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(Conditional(1), data, TestData.TempDir()));
        Assert.Contains("--conditional needs class labels", e.Message);
    }

    [Fact]
    public void A_conditional_fine_tune_of_an_unconditional_model_starts_where_that_model_is()
    {
        var data = TestData.RandomImages();
        string plainDir = TestData.TempDir();
        using (var plain = new Trainer(TrainerTests.Tiny(2), data, plainDir)) plain.Run();
        string source = Path.Combine(plainDir, "checkpoint.ckpt");
        using var tune = new Trainer(Conditional(1) with { InitFrom = source }, data, TestData.TempDir());
        using var model = TrainedModel.Load(source, CPU, WeightChoice.Live);
        foreach (var (name, value) in model.Network.state_dict())
            Assert.True(value.Same(tune.Network.state_dict()[name]), $"{name} was not taken from the source");
        Assert.Equal(0, tune.Network.state_dict()["label_code.weight"].abs().sum().item<float>());
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_class_adapter_trains_only_the_class_tables_and_its_null_class_is_the_base_model(bool ownEncoder,
        bool ownDecoder)
    {
        var data = TestData.RandomImages();
        string baseDir = TestData.TempDir(), adapterDir = TestData.TempDir();
        using (var plain = new Trainer(TrainerTests.Tiny(2) with { RecalibrateBatchNorm = 2 }, data, baseDir))
            plain.Run();
        string basePath = Path.Combine(baseDir, "model.ckpt");
        using (var adapter = new Trainer(Conditional(3) with
                   {
                       ClassAdapter = true, ClassEncoder = ownEncoder, ClassDecoder = ownDecoder, InitFrom = basePath,
                   }, data, adapterDir))
        {
            // the classes' encoder and decoder start as the base model's, not as a fresh initialisation
            var start = adapter.Network.state_dict();
            foreach (var name in start.Keys.Where(k => k.StartsWith("label_encoder.", StringComparison.Ordinal)
                                                       || k.StartsWith("label_decoder.", StringComparison.Ordinal)))
                Assert.True(start[name].Same(start[name["label_".Length..]]), $"{name} did not start as the base's");
            adapter.Run();
        }
        using var before = TrainedModel.Load(basePath, CPU);
        using var after = TrainedModel.Load(Path.Combine(adapterDir, "model.ckpt"), CPU);
        var tables = after.Network.state_dict();
        // every weight and BatchNorm buffer of the base model as it was: nothing trained, no statistic updated
        foreach (var (name, value) in before.Network.state_dict())
            Assert.True(value.Same(tables[name]), $"{name} changed");
        foreach (var table in new[] { "label_code.weight", "label_norm.weight" })
        {
            Assert.True(tables[table].narrow(0, 0, 10).abs().sum().item<float>() > 0, $"{table}: classes unlearnt");
            Assert.Equal(0, tables[table][10].abs().sum().item<float>());   // the null row never drawn
        }
        var network = (CodeNetwork)after.Network;
        Assert.Equal((ownEncoder, ownDecoder), (network.HasClassEncoder, network.HasClassDecoder));
        if (ownEncoder) Assert.False(tables["label_encoder.conv1.weight"].Same(tables["encoder.conv1.weight"]));
        if (ownDecoder) Assert.False(tables["label_decoder.deconv5.weight"].Same(tables["decoder.deconv5.weight"]));
        // the base model's statistics unchanged; the classes' encoder and decoder take those of the parts they copy
        var statistics = after.NormStatistics!.ToFlat();
        string[] copied = [.. new[] { (ownEncoder, ".encoder."), (ownDecoder, ".decoder.") }
            .Where(c => c.Item1).Select(c => c.Item2)];
        foreach (var (name, value) in before.NormStatistics!.ToFlat())
        {
            Assert.True(value.Same(statistics[name]), $"statistics {name} recalibrated");
            foreach (var part in copied.Where(p => name.Contains(p, StringComparison.Ordinal)))
                Assert.True(value.Same(statistics[name.Replace(part, ".label_" + part[1..])]), $"{name}'s copy");
        }
        var baseKeys = before.NormStatistics.ToFlat().Keys;
        Assert.Equal(baseKeys.Count + baseKeys.Count(k => copied.Any(p => k.Contains(p, StringComparison.Ordinal))),
            statistics.Count);
        using var z = before.Prior.Sample(4, CPU);
        var plainOutputs = before.Apply(z, [1, 2], NormMode.Running, InputKind.Noise);
        var nullOutputs = after.Apply(z, [1, 2], NormMode.Running, InputKind.Noise);
        for (int k = 0; k < 2; k++) Assert.True(plainOutputs[k].Same(nullOutputs[k]), $"f^{k + 1}: null ≠ base");
        Assert.False(plainOutputs[0].Same(after.Apply(z, [1], NormMode.Running, InputKind.Noise,
            after.ClassLabels(3, 4))[0]));
        var e = Assert.Throws<ArgumentException>(() => ModelFiles.ExportModelOnly(Path.Combine(adapterDir,
            "model.ckpt"), Path.Combine(adapterDir, "export.ckpt"), half: false, recalibrateBatches: 1));
        Assert.Contains("without --recalibrate-bn", e.Message);
    }

    [Fact]
    public void A_class_adapter_needs_conditional_and_an_unconditional_model_to_start_from()
    {
        var adapter = Conditional(1) with { ClassAdapter = true };
        Assert.Contains("--class-adapter needs --conditional and --init-from",
            Assert.Throws<ArgumentException>(adapter.Validate).Message);
        Assert.Throws<ArgumentException>((adapter with { Conditional = false, InitFrom = "m.ckpt" }).Validate);
        var data = TestData.RandomImages();
        string conditionalDir = TestData.TempDir();
        using (var conditional = new Trainer(Conditional(1), data, conditionalDir)) conditional.Run();
        var e = Assert.Throws<ArgumentException>(() => new Trainer(
            adapter with { InitFrom = Path.Combine(conditionalDir, "model.ckpt") }, data, TestData.TempDir()));
        Assert.Contains("must be an unconditional model", e.Message);
        Assert.Contains("--class-encoder needs --class-adapter", Assert.Throws<ArgumentException>(
            (Conditional(1) with { ClassEncoder = true }).Validate).Message);
        Assert.Contains("--class-decoder needs --class-adapter", Assert.Throws<ArgumentException>(
            (Conditional(1) with { ClassDecoder = true }).Validate).Message);
    }

    [Fact]
    public void A_class_guide_is_a_frozen_classifier_of_the_run_s_data_never_the_evaluation_s()
    {
        var tiny = Conditional(2);
        var guided = tiny with { Objective = tiny.Objective with { LambdaClassGuide = 1 } };
        Assert.Contains("--lambda-class-guide needs --conditional and --class-guide",
            Assert.Throws<ArgumentException>(guided.Validate).Message);
        Assert.Contains("does nothing", Assert.Throws<ArgumentException>((tiny with { ClassGuide = "g.ign" }).Validate)
            .Message);
        var data = TestData.RandomImages();
        string guidePath = Path.Combine(TestData.TempDir(), "guide.ign");
        using (var classifier = ClassifierTrainer.Train(data, new ClassifierTrainer.Options(Epochs: 1, BatchSize: 32),
                   CPU))
            ClassifierFile.Save(guidePath, classifier,
                new ClassifierHeader { TestAccuracy = 0, Epochs = 1, Seed = 0, Dataset = "mnist" });
        using (var guide = ClassGuide.Load(guidePath, "mnist", 10, CPU))
        {
            Assert.False(guide.training);
            Assert.All(guide.parameters(), p => Assert.False(p.requires_grad));
        }
        Assert.Contains("classifies mnist", Assert.Throws<ArgumentException>(() =>
            ClassGuide.Load(guidePath, "fashion-mnist", 10, CPU)).Message);
        Assert.Contains("the evaluation scores with", Assert.Throws<ArgumentException>(() =>
            ClassGuide.Load(ClassifierFile.DefaultPath("mnist"), "mnist", 10, CPU)).Message);

        // a step of a guided run computes the term
        using var trainer = new Trainer(guided with { ClassGuide = guidePath }, data, TestData.TempDir());
        var losses = trainer.TrainStep(data.Batch([0, 1, 2, 3, 4, 5, 6, 7], CPU),
            tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        Assert.True(losses[LossTerms.ClassGuide] > 0);
    }
}
