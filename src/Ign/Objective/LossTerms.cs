namespace Ign.Objective;

/// <summary>
/// One term of the IGN objective, as everything outside <see cref="IgnObjective"/> names it: its field in
/// metrics.jsonl, its word on the progress line, its legend in loss.png and its weight.
/// </summary>
/// <param name="Index">its place in <see cref="LossTerms.All"/></param>
/// <param name="Key">the camelCase field of metrics.jsonl</param>
/// <param name="Short">the word on the progress line and in <see cref="LossValues.ToString"/></param>
/// <param name="Legend">the legend in loss.png</param>
/// <param name="Symbol">its weight's symbol in messages (λr)</param>
/// <param name="Weight">its weight in an objective's config</param>
/// <param name="Optional">off unless asked for, so shown only where it is not 0; the paper's three always are</param>
/// <param name="Decimals">digits on the progress line</param>
public sealed record LossTerm(int Index, string Key, string Short, string Legend, string Symbol,
                             Func<ObjectiveConfig, float> Weight, bool Optional, int Decimals);

/// <summary>
/// The one list of loss terms: a new term is a line here and its computation in <see cref="IgnObjective"/>; the
/// losses' shapes (<see cref="IgnLosses"/>, <see cref="LossValues"/>), metrics.jsonl, the progress line, loss.png and
/// the check of the weights all read it.
/// </summary>
public static class LossTerms
{
    private static int declared;

    // In the order the objective adds them to the total: the order of the float additions, so keep it.
    public static readonly LossTerm Reconstruction = Core("reconstruction", "rec", "reconstruction", "λr",
        c => c.LambdaRec);
    public static readonly LossTerm Idempotence = Core("idempotence", "idem", "idempotence", "λi", c => c.LambdaIdem);
    public static readonly LossTerm Tightness = Core("tightness", "tight", "tightness", "λt", c => c.LambdaTight);
    public static readonly LossTerm ReconstructionTwice = Optional("reconstructionTwice", "rec2",
        "reconstruction by f∘f", "λrr", c => c.LambdaRecTwice);
    public static readonly LossTerm WrongClass = Optional("wrongClass", "wrong", "under another class (clamped)", "λw",
        c => c.LambdaWrongClass);
    public static readonly LossTerm MeanMatch = Optional("meanMatch", "mean", "mean matching", "λm",
        c => c.LambdaMean, decimals: 5);
    public static readonly LossTerm Restoration = Optional("restoration", "restore", "restoration", "λs",
        c => c.LambdaRestore);
    public static readonly LossTerm OffDataIdempotence = Optional("offDataIdempotence", "offidem",
        "idempotence off the data", "λo", c => c.LambdaOffDataIdem);
    public static readonly LossTerm RestorationTwice = Optional("restorationTwice", "restore2",
        "restoration by f∘f", "λ2", c => c.LambdaRestoreTwice);
    public static readonly LossTerm RestorationOfProjection = Optional("restorationOfProjection", "reproj",
        "restoration of f's projection", "λp", c => c.LambdaRestoreProjected);
    public static readonly LossTerm Contraction = Optional("contraction", "contract", "contraction around the data",
        "λc", c => c.LambdaContract);

    public static readonly LossTerm ClassGuide = Optional("classGuide", "guide", "class guide (cross-entropy)", "λg",
        c => c.LambdaClassGuide);

    public static readonly IReadOnlyList<LossTerm> All =
    [
        Reconstruction, Idempotence, Tightness, ReconstructionTwice, WrongClass, MeanMatch, Restoration,
        OffDataIdempotence, RestorationTwice, RestorationOfProjection, Contraction, ClassGuide,
    ];

    /// <summary>"λr 20, λi 20, λt 5, …": every weight of a config, for messages.</summary>
    public static string DescribeWeights(ObjectiveConfig config) =>
        string.Join(", ", All.Select(t => FormattableString.Invariant($"{t.Symbol} {t.Weight(config)}")));

    private static LossTerm Core(string key, string word, string legend, string symbol,
                                 Func<ObjectiveConfig, float> weight) =>
        new(declared++, key, word, legend, symbol, weight, Optional: false, Decimals: 4);

    private static LossTerm Optional(string key, string word, string legend, string symbol,
                                     Func<ObjectiveConfig, float> weight, int decimals = 4) =>
        new(declared++, key, word, legend, symbol, weight, Optional: true, Decimals: decimals);
}
