using System.Globalization;
using L1Net.Tests.Support;

namespace L1Net.Tests.Reliability;

/// <summary>
/// Every number the library writes into a message or a report reads the same under every culture: under de-DE a learning
/// rate of -0.5 was "-0,5" in the message (and "Actual value was -0,5."), an infinite value "∞", and a report's loss "0,61".
/// </summary>
public sealed class CultureInvariantTextTests
{
    private static readonly string[] Cultures = ["de-DE", "tr-TR", "fr-FR", "sv-SE"];

    public static TheoryData<string> Ids() => BadInputCatalogueTests.Ids();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_catalogued_bad_input_gets_the_same_message_under_every_culture(string id)
    {
        BadInputCatalogue.Case c = BadInputCatalogue.Get(id);
        string expected = MessageUnder(CultureInfo.InvariantCulture, c);
        foreach (string culture in Cultures)
        {
            Assert.Equal(expected, MessageUnder(CultureInfo.GetCultureInfo(culture), c));
        }
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void Numbers_in_messages_use_a_decimal_point(string culture)
    {
        using var scope = new CultureScope(culture);

        var l1 = Assert.Throws<ArgumentOutOfRangeException>(() => Regularizer.L1(-0.5f));
        Assert.Contains("but was -0.5.", l1.Message, StringComparison.Ordinal);
        Assert.Contains("Actual value was -0.5.", l1.Message, StringComparison.Ordinal);
        Assert.Equal("-0.5", l1.ActualValue);

        var rate = Assert.Throws<ArgumentOutOfRangeException>(() => new BackPropTrainer(new TrainerOptions { LearningRate = -0.25f }));
        Assert.Contains("but was -0.25.", rate.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0,25", rate.Message, StringComparison.Ordinal);

        var beta = Assert.Throws<ArgumentOutOfRangeException>(() => Optimizer.Adam(beta1: 1.5f));
        Assert.DoesNotContain("1,5", beta.Message, StringComparison.Ordinal);

        var infinite = Assert.Throws<ArgumentException>(() => Fixtures.Network().Predict([1f, float.PositiveInfinity, 0f], new float[3]));
        Assert.Contains("element 1 is Infinity.", infinite.Message, StringComparison.Ordinal);

        var target = Assert.Throws<ArgumentException>(() => new BackPropTrainer(new TrainerOptions { Epochs = 1 })
            .Train(Fixtures.Network(), Dataset.FromTargets(new float[,] { { 1, 2, 3 } }, new float[,] { { 1.5f, 0, 0 } })));
        Assert.Contains("row 0 holds 1.5.", target.Message, StringComparison.Ordinal);

        var split = Assert.Throws<ArgumentException>(() => DataSplit.TrainValidation(Fixtures.Data(), 0.01, 1));
        Assert.Contains("A validation fraction of 0.01 of 12 rows", split.Message, StringComparison.Ordinal);

        var lambdas = Assert.Throws<ArgumentException>(() => new RegularizationPath(new RegularizationPathOptions
        {
            Trainer = new TrainerOptions(),
            CreateRegularizer = Regularizer.L1,
            Lambdas = [0.5f, 0.5f],
        }));
        Assert.Contains("entry 1 is 0.5.", lambdas.Message, StringComparison.Ordinal);

        var sign = Assert.Throws<InvalidOperationException>(() => new BackPropTrainer(new TrainerOptions { Epochs = 1 }, new DeclaredParts(0f, -1.5f))
            .Train(Fixtures.Network(), Fixtures.Data()));
        Assert.Contains("SignCoefficient is -1.5;", sign.Message, StringComparison.Ordinal);

        var decay = Assert.Throws<InvalidOperationException>(() => new BackPropTrainer(new TrainerOptions { Epochs = 1 }, new DeclaredParts(float.PositiveInfinity, 0f))
            .Train(Fixtures.Network(), Fixtures.Data()));
        Assert.Contains("WeightDecay is Infinity;", decay.Message, StringComparison.Ordinal);
    }

    /// <summary>A user regularizer whose declared parts are given (here: invalid ones), with no smooth part of its own.</summary>
    private sealed class DeclaredParts(float decay, float sign) : IRegularizer
    {
        public string Name => "DeclaredParts";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public float WeightDecay => decay;

        public float SignCoefficient => sign;

        public bool HasGradient => false;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => 0;

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void Report_records_print_invariant_numbers(string culture)
    {
        DenseNetwork network = NetworkBuilder.Input(1).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        Dataset data = Dataset.FromLabels(new float[,] { { 0.5f }, { 1.5f } }, [0, 1], 2);
        EpochReport report = new BackPropTrainer(new TrainerOptions { Epochs = 1 }).Train(network, data).Final;
        var provenance = new ModelProvenance { Lambda = 0.5f, LearningRate = 0.25f, TrainedAt = new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero) };
        var score = new LambdaScore { Lambda = 0.5f, MeanLoss = 0.25, MeanAccuracy = 0.75 };
        var progress = new PathProgress { Lambda = 0.5f, Loss = 0.25 };
        WeightStatistics weights = WeightStatistics.Compute(network, 0.5f);

        string[] invariant;
        using (new CultureScope(CultureInfo.InvariantCulture.Name))
        {
            invariant = [report.ToString(), provenance.ToString(), score.ToString(), progress.ToString(), weights.ToString()];
        }

        using var scope = new CultureScope(culture);
        string[] local = [report.ToString(), provenance.ToString(), score.ToString(), progress.ToString(), weights.ToString()];
        Assert.Equal(invariant, local);
        Assert.StartsWith("EpochReport { Epoch = 1, Epochs = 1, Steps = 2, Loss = 0.", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("Lambda = 0.5, ", provenance.ToString(), StringComparison.Ordinal);
        Assert.Contains("TrainedAt = 11/26/2026 01:02:03 +00:00", provenance.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("LambdaScore { Lambda = 0.5, MeanLoss = 0.25, ", score.ToString(), StringComparison.Ordinal);
        Assert.Contains("Threshold = 0.5, ", weights.ToString(), StringComparison.Ordinal);
        Assert.Equal(culture, CultureInfo.CurrentCulture.Name); // restored after formatting
    }

    private static string MessageUnder(CultureInfo culture, BadInputCatalogue.Case c)
    {
        BadInputCatalogue.Prepared prepared = c.Prepare();
        using var scope = new CultureScope(culture.Name);
        Exception e = Assert.ThrowsAny<Exception>(prepared.Act);
        return System.Text.RegularExpressions.Regex.Replace(e.Message, "[0-9a-f]{32}", "(guid)"); // each case's own temporary path
    }
}
