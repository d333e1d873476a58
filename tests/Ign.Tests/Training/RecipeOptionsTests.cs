using Ign.Models;
using Ign.Objective;
using Ign.Priors;
using Ign.Sampling;
using Ign.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Ign.Normalization;

namespace Ign.Tests.Training;

/// <summary>The options that try to beat the seed recipe: EMA, BatchNorm recalibration, GroupNorm, schedules.</summary>
public class RecipeOptionsTests
{
    private static TrainConfig Tiny(long steps) => TrainConfig.FromPreset("seed002") with
    {
        Preset = "test", BaseWidth = 4, BatchSize = 8, MaxSteps = steps, SampleCount = 4, SampleEvery = 1000, CheckpointEvery = 1000,
        Seed = 7, Objective = ObjectiveConfig.Paper,
    };

    [Fact]
    public void The_weight_average_follows_its_formula_and_copies_buffers()
    {
        manual_seed(1);
        var f = new DcganMnist(baseWidth: 4);
        using var average = new WeightAverage(f, new DcganMnist(baseWidth: 4), decay: 0.9);
        var before = average.State().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using (no_grad())
        {
            foreach (var p in f.parameters()) p.add_(1.0);
            foreach (var b in f.buffers().Where(b => b.is_floating_point())) b.add_(2.0);
        }
        average.Update(step: 1000); // decay 0.9 once warmed up
        var live = f.state_dict();
        var parameterNames = f.named_parameters().Select(p => p.name).ToHashSet();
        foreach (var (name, value) in average.State())
        {
            var expected = parameterNames.Contains(name) ? before[name] * 0.9 + live[name] * 0.1 : live[name];
            Assert.True((value.to(float64) - expected.to(float64)).abs().max().item<double>() < 1e-5, name);
        }
        Assert.Equal(0.1, average.DecayAt(0), 9); // warm-up: (1 + 0) / (10 + 0)
    }

    [Fact]
    public void Keeping_an_average_does_not_change_what_is_trained()
    {
        // the comparison "seed002 vs seed002 + EMA at the same seed" is then one run: its live and its averaged weights
        var data = TestData.RandomImages();
        using var plain = new Trainer(Tiny(3), data, TestData.TempDir());
        plain.Run();
        using var averaged = new Trainer(Tiny(3) with { EmaDecay = 0.9 }, data, TestData.TempDir());
        averaged.Run();
        var expected = plain.Network.state_dict();
        foreach (var (name, value) in averaged.Network.state_dict()) Assert.True(value.Same(expected[name]), name);
    }

    [Fact]
    public void A_run_with_an_average_resumes_exactly_and_ships_the_average()
    {
        var data = TestData.RandomImages();
        var config = Tiny(4) with { EmaDecay = 0.5 };
        string straightDir = TestData.TempDir(), splitDir = TestData.TempDir();
        using var straight = new Trainer(config, data, straightDir);
        straight.Run();
        using (var first = new Trainer(config with { MaxSteps = 2 }, data, splitDir)) first.Run();
        using var checkpoint = Checkpoint.Load(Path.Combine(splitDir, "checkpoint.ckpt"));
        Assert.NotNull(checkpoint.EmaState);
        using var resumed = new Trainer(checkpoint.Header.Config with { MaxSteps = 4 }, data, splitDir, checkpoint);
        resumed.Run();
        var expected = straight.SamplingNetwork.state_dict();
        foreach (var (name, value) in resumed.SamplingNetwork.state_dict()) Assert.True(value.Same(expected[name]), name);
        Assert.False(straight.SamplingNetwork.state_dict()["encoder.conv1.weight"].Same(straight.Network.state_dict()["encoder.conv1.weight"]));

        using var model = Checkpoint.Load(Path.Combine(straightDir, "model.ckpt"));
        Assert.Equal("ema", model.Header.Weights);
        Assert.True(model.ModelState["encoder.conv1.weight"].Same(expected["encoder.conv1.weight"]));
    }

    /// <summary>A prior with mean 3 and standard deviation 2 per pixel, for a known-answer test.</summary>
    private sealed class ShiftedPrior : IPrior
    {
        public string Name => "shifted";
        public IReadOnlyDictionary<string, Tensor> Statistics { get; } = new Dictionary<string, Tensor>();
        public Tensor Sample(long n, Device device, Generator? generator = null) => randn([n, 2, 4, 4], generator: generator) * 2 + 3;
        public Tensor Mean(Device device) => full(2, 4, 4, 3f);
        public void Dispose() { }
    }

    /// <summary>Images whose pixels are all −0.5 or all +0.5 (mean 0, variance 0.25), for a known-answer test.</summary>
    private static Ign.Data.ImageDataset TwoLevelImages() =>
        new("two-level", Enumerable.Range(0, 64).SelectMany(i => Enumerable.Repeat(i % 2 == 0 ? (byte)64 : (byte)191, 2 * 4 * 4)).ToArray(), 64, 2, 4, 4);

    [Fact]
    public void Recalibration_keeps_one_set_of_statistics_per_kind_of_input()
    {
        // f = BatchNorm alone: z has mean 3, variance 4; f(z) with batch statistics has mean 0, variance ≈ 1;
        // the images have mean ≈ 0, variance ≈ 0.25. One averaged set (mean 1.5, variance 2.5) would fit none of them.
        var bn = BatchNorm2d(2);
        var f = Sequential(("bn", bn));
        using var statistics = BatchNormRecalibration.Run(f, new ShiftedPrior(), TwoLevelImages(), CPU, batches: 50, batchSize: 64)!;
        float Mean(InputKind kind) => statistics.For(kind)["bn.running_mean"].mean().item<float>();
        float Var(InputKind kind) => statistics.For(kind)["bn.running_var"].mean().item<float>();
        Assert.Equal(3, Mean(InputKind.Noise), 0.1);
        Assert.Equal(4, Var(InputKind.Noise), 0.2);
        Assert.Equal(0, Mean(InputKind.Generated), 0.02);
        Assert.Equal(1, Var(InputKind.Generated), 0.05);
        Assert.Equal(0, Mean(InputKind.Image), 0.02);
        Assert.Equal(0.25, Var(InputKind.Image), 0.02);
        Assert.True(bn.running_mean!.abs().max().item<float>() == 0 && (bn.running_var! - 1).abs().max().item<float>() == 0); // f's own left as they were
        Assert.Equal(0.1, bn.momentum);  // restored
        Assert.True(f.training);         // mode restored
    }

    [Fact]
    public void Running_mode_uses_the_set_of_what_each_application_sees()
    {
        var bn = BatchNorm2d(2);
        var f = Sequential(("bn", bn));
        using var statistics = BatchNormRecalibration.Run(f, new ShiftedPrior(), TwoLevelImages(), CPU, batches: 50, batchSize: 64)!;
        var z = new ShiftedPrior().Sample(256, CPU, new Generator(5));                  // (256, 2, 4, 4)
        var outputs = Sampler.Iterate(f, z, [1, 2], NormMode.Running, statistics, InputKind.Noise);
        Assert.Equal(0, outputs[0].mean().item<float>(), 0.05);                       // (z − 3)/2 with the noise set
        Assert.Equal(1, outputs[0].var().item<float>(), 0.1);
        Assert.Equal(0, outputs[1].mean().item<float>(), 0.05);                       // left as it is by the generated set
        Assert.Equal(1, outputs[1].var().item<float>(), 0.1);
        var image = full(1, 2, 4, 4, 0.5f);
        Assert.Equal(1, Sampler.Iterate(f, image, [1], NormMode.Running, statistics, InputKind.Image)[0].mean().item<float>(), 0.05); // 0.5 / √0.25
        Assert.True(bn.running_mean!.abs().max().item<float>() == 0);                // buffers restored after sampling
    }

    [Fact]
    public void A_kind_of_corrupted_image_gets_its_own_set_used_only_when_a_projection_is_told_its_kind()
    {
        // the images are ±0.5 (mean 0, variance 0.25); a 4×4 occlusion of white covers the whole 4×4 image, so the
        // occluded images are all 1: mean 1, variance 0
        var bn = BatchNorm2d(2);
        var f = Sequential(("bn", bn));
        var occlusion = Ign.Corruptions.CorruptionParser.Parse("occlude:size=4,fill=1");
        using var statistics = BatchNormRecalibration.Run(f, new ShiftedPrior(), TwoLevelImages(), CPU, batches: 10,
            batchSize: 64, imageKinds: [occlusion])!;
        Assert.Equal(["occlude"], statistics.ImageKinds);
        Assert.Equal(1, statistics.ForImagesLike("occlude")["bn.running_mean"].mean().item<float>(), 1e-5);
        Assert.Equal(0, statistics.ForImagesLike("occlude")["bn.running_var"].mean().item<float>(), 1e-5);
        Assert.Equal(0, statistics.For(InputKind.Image)["bn.running_mean"].mean().item<float>(), 0.02); // untouched

        var grey = full(1, 2, 4, 4, 0.5f);
        float Once(NormStatistics s) => Sampler.Iterate(f, grey, [1], NormMode.Running, s, InputKind.Image)[0]
            .mean().item<float>();
        Assert.Equal(1, Once(statistics), 0.05);                                       // 0.5 / √0.25: clean images'
        Assert.Equal(-0.5 / Math.Sqrt(1e-5), Once(statistics.ImagesLike("occlude")), 1); // (0.5 − 1) / √ε
        Assert.Same(statistics, statistics.ImagesLike(null));
        // the generated set is the same in the view
        var twice = Sampler.Iterate(f, grey, [2], NormMode.Running, statistics.ImagesLike("occlude"), InputKind.Image);
        Assert.True(twice[0].isfinite().all().item<bool>());

        // filed under the kind's name in a checkpoint and read back; an unknown kind is refused in one line
        using var back = NormStatistics.FromFlat(statistics.ToFlat())!;
        Assert.True(back.ForImagesLike("occlude")["bn.running_mean"].Same(statistics.ForImagesLike("occlude")["bn.running_mean"]));
        Assert.Contains("no BatchNorm statistics for 'lowres' images (it has: occlude",
            Assert.Throws<ArgumentException>(() => statistics.ImagesLike("lowres")).Message);
        // the view shares the tensors and does not dispose them
        statistics.ImagesLike("occlude").Dispose();
        Assert.Equal(1, statistics.ForImagesLike("occlude")["bn.running_mean"].mean().item<float>(), 1e-5);
    }

    [Theory]
    [InlineData(null, "lowres:size=7", "lowres")]      // told by the corruption, when the model has the set
    [InlineData(null, "blur:sigma=1", null)]           // no set: the clean images'
    [InlineData(null, "lowres:size=7+blur:sigma=1", null)]
    [InlineData("image", "lowres:size=7", null)]       // asked for the clean images' set
    [InlineData("Sketch", null, "sketch")]
    [InlineData("auto", "lowres:size=7", "lowres")]    // auto (the API's word, and the CLI's) is not asking
    [InlineData(" ", "sketch", "sketch")]
    public void The_image_kind_follows_the_ask_then_the_corruption(string? asked, string? corruption, string? kind)
    {
        var sets = Enum.GetValues<InputKind>().ToDictionary(k => k, _ => new Dictionary<string, Tensor>());
        using var statistics = new NormStatistics(sets, new() { ["lowres"] = [], ["sketch"] = [] });
        Assert.Equal(kind, NormStatistics.ChooseImageKind(asked, corruption, statistics));
    }

    [Fact]
    public void Recalibrated_eval_mode_matches_batch_mode_and_ignores_batch_mates()
    {
        var data = TestData.RandomImages();
        using var trainer = new Trainer(Tiny(3), data, TestData.TempDir());
        trainer.Run();
        var f = trainer.Network;
        using var prior = new GaussianPrior(1, 28, 28);
        var z = prior.Sample(64, CPU, new Generator(3));
        var batch = Sampler.Iterate(f, z, [1, 2], NormMode.Batch);
        double Gap(NormStatistics? s, int k) => (Sampler.Iterate(f, z, [1, 2], NormMode.Running, s)[k] - batch[k]).abs().mean().item<float>();
        double before1 = Gap(null, 0), before2 = Gap(null, 1);
        using var statistics = BatchNormRecalibration.Run(f, prior, data, CPU, batches: 20, batchSize: 64, inputNoise: 0.15f)!;
        Assert.True(Gap(statistics, 0) < before1 / 3, $"eval-mode gap at k = 1: {Gap(statistics, 0)}, before {before1}");
        Assert.True(Gap(statistics, 1) < before2 * 0.8, $"eval-mode gap at k = 2: {Gap(statistics, 1)}, before {before2}");
        var alone = Sampler.Iterate(f, z.narrow(0, 5, 1), [2], NormMode.Running, statistics)[0];
        var inBatch = Sampler.Iterate(f, z, [2], NormMode.Running, statistics)[0].narrow(0, 5, 1);
        Assert.True((alone - inBatch).abs().max().item<float>() < 1e-5, "a sample depends on its batch-mates");
    }

    [Theory]
    [InlineData("dcgan-mnist-gn", 1, 28)]
    [InlineData("dcgan64-gn", 3, 64)]
    public void The_groupnorm_models_treat_each_image_on_its_own(string model, int channels, int size)
    {
        manual_seed(2);
        var f = ModelFactory.Create(model, channels, size, 8);
        var norms = f.modules().OfType<TorchSharp.Modules.GroupNorm>().ToList();
        Assert.NotEmpty(norms);
        Assert.DoesNotContain(f.modules(), m => m is TorchSharp.Modules.BatchNorm2d);
        // PyTorch's start, which TorchSharp does not give: weight 1, bias 0
        Assert.All(norms, n => Assert.True(n.weight!.eq(ones_like(n.weight)).all().item<bool>()
            && n.bias!.eq(zeros_like(n.bias)).all().item<bool>()));
        f.eval();
        var x = randn(5, channels, size, size);
        using var _ = no_grad();
        float difference = (f.forward(x).narrow(0, 1, 1) - f.forward(x.narrow(0, 1, 1))).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"image 1 changes by {difference} with its batch-mates");
    }

    [Fact]
    public void Cosine_schedule_and_tightness_warmup_have_their_shapes()
    {
        var c = Tiny(101) with { LrSchedule = LearningRateSchedule.Cosine, LrFloor = 0.1, TightnessWarmup = 10 };
        Assert.Equal(1e-4, c.LearningRateAt(0, 101), 12);
        Assert.Equal(0.55e-4, c.LearningRateAt(50, 101), 12);
        Assert.Equal(1e-5, c.LearningRateAt(100, 101), 12);
        Assert.Equal(0.1, c.TightnessScaleAt(0), 12);
        Assert.Equal(1.0, c.TightnessScaleAt(9), 12);
        Assert.Equal(1.0, c.TightnessScaleAt(500), 12);
        var seed = TrainConfig.FromPreset("seed002");
        Assert.Equal(seed.LearningRate, seed.LearningRateAt(1234, 11700));
        Assert.Equal(1.0, seed.TightnessScaleAt(0));
    }

    [Fact]
    public void A_cosine_decay_from_a_later_step_keeps_the_learning_rate_constant_until_it()
    {
        var c = Tiny(101) with { LrSchedule = LearningRateSchedule.Cosine, LrFloor = 0.1, LrDecayFrom = 60 };
        Assert.Equal(1e-4, c.LearningRateAt(0, 101), 12);
        Assert.Equal(1e-4, c.LearningRateAt(60, 101), 12);   // its first step is the top of the cosine
        Assert.Equal(0.55e-4, c.LearningRateAt(80, 101), 12); // halfway from 60 to the last step, 100
        Assert.Equal(1e-5, c.LearningRateAt(100, 101), 12);
        Assert.True(c.ConstantLearningRateBefore(60));
        Assert.False(c.ConstantLearningRateBefore(61));
        Assert.True(Tiny(101).ConstantLearningRateBefore(1000));
        Assert.Throws<ArgumentException>(() => (c with { LrDecayFrom = -1 }).Validate());
    }

    [Fact]
    public void The_late_tightness_factor_starts_at_its_step_and_multiplies_the_warmup()
    {
        var c = Tiny(101) with { TightnessWarmup = 10, TightnessLateFrom = 50, TightnessLateFactor = 1.5 };
        Assert.Equal(0.1, c.TightnessScaleAt(0), 12);
        Assert.Equal(1.0, c.TightnessScaleAt(49), 12);
        Assert.Equal(1.5, c.TightnessScaleAt(50), 12);
        Assert.Equal(1.5, c.TightnessScaleAt(100), 12);
        Assert.Equal(0.61 * 1.5, (c with { TightnessWarmup = 100 }).TightnessScaleAt(60), 12); // inside the warm-up, both apply
        Assert.Equal(1.0, (c with { TightnessLateFrom = 0 }).TightnessScaleAt(100), 12); // step 0 = off
    }

    [Fact]
    public void A_late_tightness_factor_may_be_added_only_where_no_step_was_taken_yet()
    {
        var plain = Tiny(100);
        var late = plain with { TightnessLateFrom = 40, TightnessLateFactor = 2 };
        Assert.True(late.SameTightnessBefore(plain, 40));
        Assert.True(late.SameTightnessBefore(plain, 10));
        Assert.False(late.SameTightnessBefore(plain, 41));
        Assert.True(late.SameTightnessBefore(late with { }, 90)); // unchanged schedule: any step
        Assert.False(late.SameTightnessBefore(late with { TightnessLateFactor = 3 }, 41));
        Assert.True((late with { TightnessLateFactor = 1 }).SameTightnessBefore(plain, 90)); // factor 1 is no change
        Assert.False((plain with { TightnessWarmup = 5 }).SameTightnessBefore(plain, 0));
    }

    [Fact]
    public void The_mean_matching_term_starts_at_its_step_and_may_be_added_only_where_no_step_was_taken_yet()
    {
        var plain = Tiny(100);
        var late = plain with { Objective = plain.Objective with { LambdaMean = 50 }, MeanMatchFrom = 40 };
        Assert.Equal((0.0, 1.0, 1.0), (late.MeanMatchScaleAt(39), late.MeanMatchScaleAt(40), late.MeanMatchScaleAt(99)));
        Assert.Equal(0.0, (plain with { MeanMatchFrom = 40 }).MeanMatchScaleAt(99)); // λm 0: off whatever the step
        Assert.True(late.SameMeanMatchBefore(plain, 40));
        Assert.False(late.SameMeanMatchBefore(plain, 41));
        Assert.True(late.SameMeanMatchBefore(late with { }, 90)); // unchanged: any step
        Assert.False(late.SameMeanMatchBefore(late with { Objective = plain.Objective with { LambdaMean = 60 } }, 41));
        Assert.False((late with { MeanMatchFrom = 0 }).SameMeanMatchBefore(plain, 1));
        Assert.Throws<ArgumentException>(() => (late with { Objective = plain.Objective with { LambdaMean = -1 } }).Validate());
    }

    [Fact]
    public void The_projection_terms_start_at_their_step_and_may_be_added_only_where_no_step_was_taken_yet()
    {
        var plain = Tiny(100);
        var late = plain with
        {
            Objective = plain.Objective with { LambdaRestoreProjected = 5, LambdaRecTwice = 5 }, ProjectionTermsFrom = 40,
        };
        Assert.Equal(plain.Objective, late.ObjectiveAt(39));
        Assert.Equal(late.Objective, late.ObjectiveAt(40));
        Assert.Equal(20f, late.ObjectiveAt(39).LambdaRec); // the paper's terms are kept before the step
        Assert.True(late.SameProjectionTermsBefore(plain, 40));
        Assert.False(late.SameProjectionTermsBefore(plain, 41));
        Assert.True(late.SameProjectionTermsBefore(late with { }, 90)); // unchanged: any step
        var heavier = late with { Objective = late.Objective with { LambdaRestoreProjected = 20 } };
        Assert.False(late.SameProjectionTermsBefore(heavier, 41));
        Assert.False(late.SameProjectionTermsBefore(late with { OffDataFraction = 0.25 }, 41)); // what the terms see
        Assert.False(late.SameProjectionTermsBefore(late with { OffDataCorruptions = "noise:sigma=1" }, 41));
        Assert.False(late.SameProjectionTermsBefore(late with { Objective = late.Objective with { RefineDepth = 3 } }, 41));
        Assert.Throws<ArgumentException>(() => (late with { Objective = late.Objective with { RefineDepth = 0 } }).Validate());
        Assert.True((plain with { OffDataFraction = 0.25 }).SameProjectionTermsBefore(plain, 90)); // unused while off
        Assert.False((late with { ProjectionTermsFrom = 0 }).SameProjectionTermsBefore(plain, 1));
        Assert.Throws<ArgumentException>(() => (late with { ProjectionTermsFrom = -1 }).Validate());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)] // the depth draws start with the terms, so the resumed run draws what the straight one did
    public void A_run_resumed_with_projection_terms_equals_one_trained_with_them_from_the_start(int refineDepth)
    {
        var plain = Tiny(4);
        var late = plain with
        {
            Objective = plain.Objective with { LambdaRestoreProjected = 20, LambdaRecTwice = 20, RefineDepth = refineDepth },
            ProjectionTermsFrom = 2,
        };
        string splitDir = AssertAddedOnResumeEqualsStraightAndActs(late);
        var logged = File.ReadAllLines(Path.Combine(splitDir, "metrics.jsonl"))
            .Select(l => Ign.IO.Json.Deserialize<StepMetrics>(l)).ToArray();
        foreach (var term in new[] { LossTerms.RestorationOfProjection, LossTerms.ReconstructionTwice })
        {
            Assert.Equal([0f, 0f], logged.Take(2).Select(m => m.Losses[term]));
            Assert.All(logged.Skip(2), m => Assert.True(m.Losses[term] > 0));
        }
        if (refineDepth == 1) return;
        using var once = new Trainer(late with { Objective = late.Objective with { RefineDepth = 1 } },
                                     TestData.RandomImages(), TestData.TempDir());
        once.Run();
        using var deep = Checkpoint.Load(Path.Combine(splitDir, "checkpoint.ckpt"));
        Assert.Contains(once.SamplingNetwork.named_parameters(),
                        p => !p.parameter.Same(deep.ModelState[p.name])); // the depth did act
    }

    /// <summary>Trains <paramref name="late"/> (4 steps, changing nothing before step 2) straight, and as 2 plain steps resumed
    /// with it: both must end with the same weights, and unlike a plain 4-step run. Returns the resumed run's folder.</summary>
    private static string AssertAddedOnResumeEqualsStraightAndActs(TrainConfig late)
    {
        var data = TestData.RandomImages();
        using var straight = new Trainer(late, data, TestData.TempDir());
        straight.Run();
        using var plain = new Trainer(Tiny(4), data, TestData.TempDir());
        plain.Run();

        string splitDir = TestData.TempDir();
        using (var first = new Trainer(Tiny(2), data, splitDir)) first.Run();
        using var checkpoint = Checkpoint.Load(Path.Combine(splitDir, "checkpoint.ckpt"));
        using var resumed = new Trainer(late, data, splitDir, checkpoint);
        resumed.Run();

        var expected = straight.SamplingNetwork.state_dict();
        foreach (var (name, value) in resumed.SamplingNetwork.state_dict())
            Assert.True(value.Same(expected[name]), $"{name} differs between a straight and a resumed run");
        var other = plain.SamplingNetwork.state_dict();
        Assert.Contains(resumed.SamplingNetwork.named_parameters(), p => !p.parameter.Same(other[p.name])); // the change did act
        return splitDir;
    }

    [Fact]
    public void A_run_resumed_with_the_mean_matching_term_equals_one_trained_with_it_from_the_start()
    {
        var plain = Tiny(4);
        string splitDir = AssertAddedOnResumeEqualsStraightAndActs(plain with { Objective = plain.Objective with { LambdaMean = 100 }, MeanMatchFrom = 2 });
        var logged = File.ReadAllLines(Path.Combine(splitDir, "metrics.jsonl")).Select(l => Ign.IO.Json.Deserialize<StepMetrics>(l)).ToArray();
        Assert.Equal([0f, 0f], logged.Take(2).Select(m => m.Losses[LossTerms.MeanMatch]));
        Assert.All(logged.Skip(2), m => Assert.True(m.Losses[LossTerms.MeanMatch] > 0));
    }

    [Fact]
    public void A_run_resumed_with_a_late_tightness_factor_equals_one_trained_with_it_from_the_start() =>
        AssertAddedOnResumeEqualsStraightAndActs(Tiny(4) with { TightnessLateFrom = 2, TightnessLateFactor = 3 });

    [Fact]
    public void A_run_resumed_with_a_late_learning_rate_decay_equals_one_trained_with_it_from_the_start() =>
        AssertAddedOnResumeEqualsStraightAndActs(Tiny(4) with { LrSchedule = LearningRateSchedule.Cosine, LrDecayFrom = 2, LrFloor = 0.1 });

    [Fact]
    public void A_zero_tightness_scale_removes_the_tightness_term_from_the_total()
    {
        manual_seed(3);
        var f = new DcganMnist(baseWidth: 4);
        var copy = new FrozenCopy(f, new DcganMnist(baseWidth: 4));
        f.eval(); copy.Sync(f);
        var (x, z) = (rand(4, 1, 28, 28) * 2 - 1, randn(4, 1, 28, 28));
        var objective = new IgnObjective(ObjectiveConfig.Paper);
        var losses = objective.Compute(f, copy.Module, x, z, tightnessScale: 0);
        float expected = 20 * losses.Reconstruction.item<float>() + 20 * losses.Idempotence.item<float>();
        Assert.Equal(expected, losses.Total.item<float>(), 4);
        Assert.True(losses.Tightness.item<float>() < 0); // still reported
    }

    [Theory]
    [InlineData("LrSchedule", "schedule")]
    [InlineData("EmaDecay", "EMA decay")]
    [InlineData("Model", "unknown model")]
    public void Bad_recipe_values_are_refused(string field, string expected)
    {
        var c = field switch
        {
            "LrSchedule" => Tiny(1) with { LrSchedule = (LearningRateSchedule)7 }, // e.g. a config from a newer build
            "EmaDecay" => Tiny(1) with { EmaDecay = 1.5 },
            _ => Tiny(1) with { Model = "resnet" },
        };
        Assert.Contains(expected, Assert.Throws<ArgumentException>(c.Validate).Message);
    }
}
