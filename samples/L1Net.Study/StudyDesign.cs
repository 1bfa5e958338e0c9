using L1Net.Seed;

namespace L1Net.Study;

/// <summary>
/// What the study runs: for each of <see cref="SeedCount"/> data sets (a new 10-15-4 generator and new training and test
/// rows each time, the article's sizes 200 and 40), every <see cref="Arms"/> entry, each trained as the article's run
/// (10-8-4, initial weights and shuffles from <c>PyRandom(0)</c>, squared error, per-sample SGD, rate 0.01, 500 epochs).
/// </summary>
/// <param name="SeedCount">Number of data sets.</param>
/// <param name="Lambdas">The strengths tried for every penalty.</param>
/// <param name="Epochs">Epochs per run (the article: 500).</param>
public sealed record StudyDesign(int SeedCount, IReadOnlyList<float> Lambdas, int Epochs = SeedRun.ListingEpochs)
{
    /// <summary>The default number of data sets: 30.</summary>
    public const int DefaultSeedCount = 30;

    /// <summary>The default strengths: 1e-4, 3e-4, 1e-3 (the article's), 2e-3, 3e-3, 1e-2.</summary>
    public static IReadOnlyList<float> DefaultLambdas { get; } = [1e-4f, 3e-4f, 1e-3f, 2e-3f, 3e-3f, 1e-2f];

    /// <summary>Seed of data set <paramref name="index"/>'s generating network: <c>1000 + index</c>.</summary>
    /// <param name="index">The data set, from 0.</param>
    /// <returns>The seed.</returns>
    public static int GeneratorSeed(int index) => 1000 + index;

    /// <summary>Seed of data set <paramref name="index"/>'s training rows: <c>2000 + index</c>.</summary>
    /// <param name="index">The data set, from 0.</param>
    /// <returns>The seed.</returns>
    public static int TrainSeed(int index) => 2000 + index;

    /// <summary>Seed of data set <paramref name="index"/>'s test rows: <c>3000 + index</c>.</summary>
    /// <param name="index">The data set, from 0.</param>
    /// <returns>The seed.</returns>
    public static int TestSeed(int index) => 3000 + index;

    /// <summary>
    /// The arms: with the listing's gradient rule, none, the published "L1", L1Net's L1 and L2; with L1Net's true
    /// gradient, none, L1 and L2; each penalty at every strength of <see cref="Lambdas"/>.
    /// </summary>
    public IReadOnlyList<StudyArm> Arms
    {
        get
        {
            var arms = new List<StudyArm>();
            foreach (GradientRule rule in new[] { GradientRule.Listing, GradientRule.True })
            {
                arms.Add(new StudyArm(rule, StudyPenalty.None, 0f));
                StudyPenalty[] penalties = rule == GradientRule.Listing
                    ? [StudyPenalty.PublishedL1, StudyPenalty.L1, StudyPenalty.L2]
                    : [StudyPenalty.L1, StudyPenalty.L2];
                foreach (StudyPenalty penalty in penalties)
                {
                    foreach (float lambda in Lambdas)
                    {
                        arms.Add(new StudyArm(rule, penalty, lambda));
                    }
                }
            }

            return arms;
        }
    }
}
