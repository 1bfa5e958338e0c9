namespace L1Net.Tests.Training;

/// <summary>
/// <see cref="LossBound"/> is sound: whenever it says every row's loss is finite, a full evaluation (the batched forward
/// pass of <c>Train</c>'s evaluation, and the one-row <see cref="DenseNetwork.Predict(ReadOnlySpan{float}, Span{float})"/>)
/// gives a finite loss on every row. Random networks whose weights, biases and features range over 30 orders of magnitude,
/// for every hidden activation, output activation and loss.
/// </summary>
public class LossBoundTests
{
    public static TheoryData<Activation, Activation, LossFunction> Combinations()
    {
        var data = new TheoryData<Activation, Activation, LossFunction>();
        foreach (Activation hidden in new[] { Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU })
        {
            foreach (Activation output in Enum.GetValues<Activation>().Where(ActivationRules.AllowedInOutput))
            {
                foreach (LossFunction loss in Enum.GetValues<LossFunction>())
                {
                    if (LossFunctions.Supports(loss, output))
                    {
                        data.Add(hidden, output, loss);
                    }
                }
            }
        }

        return data;
    }

    /// <summary>10^u with u uniform in [lo, hi].</summary>
    private static double Magnitude(Random random, double lo, double hi) => Math.Pow(10, lo + ((hi - lo) * random.NextDouble()));

    private static (DenseNetwork Network, Dataset Data) Draw(Random random, Activation hidden, Activation output, LossFunction loss)
    {
        int inputs = random.Next(1, 9);
        int layers = random.Next(0, 3);
        NetworkBuilder builder = NetworkBuilder.Input(inputs);
        for (int l = 0; l < layers; l++)
        {
            builder.Dense(random.Next(1, 13), hidden);
        }

        int outputs = output == Activation.Softmax ? random.Next(2, 6) : random.Next(1, 6);
        DenseNetwork network = builder.Dense(outputs, output).Build();

        // Per layer a weight scale and a bias scale, half of the draws ordinary (1e-3 to 1e3), half from 1e10 up to 1e38 (biases from 1e-3) (near
        // float.MaxValue, so that even bounded hidden layers can overflow the next sum); per weight a random factor in
        // [0, 1] and a sign.
        bool huge = random.Next(2) == 0;
        Span<float> p = network.Parameters;
        foreach (LayerInfo layer in network.Layers)
        {
            double weightScale = huge ? Magnitude(random, 10, 38) : Magnitude(random, -3, 3);
            double biasScale = huge ? Magnitude(random, -3, 38) : Magnitude(random, -3, 3);
            for (int i = 0; i < layer.WeightCount; i++)
            {
                p[layer.WeightOffset + i] = (float)(weightScale * random.NextDouble() * (random.Next(2) == 0 ? 1 : -1));
            }

            for (int i = 0; i < layer.OutputSize; i++)
            {
                p[layer.BiasOffset + i] = (float)(biasScale * random.NextDouble() * (random.Next(2) == 0 ? 1 : -1));
            }
        }

        int rows = random.Next(1, 12);
        var featureScale = new double[inputs];
        for (int i = 0; i < inputs; i++)
        {
            featureScale[i] = Magnitude(random, -3, huge ? 15 : 3);
        }

        double targetScale = Magnitude(random, -2, 18);
        var x = new float[rows, inputs];
        var t = new float[rows, outputs];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < inputs; i++)
            {
                x[r, i] = (float)(featureScale[i] * ((2 * random.NextDouble()) - 1));
            }

            float sum = 0;
            for (int k = 0; k < outputs; k++)
            {
                t[r, k] = loss == LossFunction.CrossEntropy ? random.NextSingle() : (float)(targetScale * ((2 * random.NextDouble()) - 1));
                sum += t[r, k];
            }

            if (loss == LossFunction.CrossEntropy && output == Activation.Softmax)
            {
                for (int k = 0; k < outputs; k++)
                {
                    t[r, k] = sum > 0 ? t[r, k] / sum : 1f / outputs;
                }
            }
        }

        return (network, Dataset.FromTargets(x, t));
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Whenever_the_bound_proves_the_loss_finite_every_row_evaluates_finite(Activation hidden, Activation output, LossFunction loss)
    {
        var random = new Random((100 * (int)hidden) + (10 * (int)output) + (int)loss);
        int proven = 0, notProvenAndNonFinite = 0, notProvenButFinite = 0;
        for (int trial = 0; trial < 800; trial++)
        {
            (DenseNetwork network, Dataset data) = Draw(random, hidden, output, loss);
            LayerInfo[] layers = [.. network.Layers];
            bool finite = LossBound.ProvesFinite(layers, network.Parameters, data, loss);

            // Train's evaluation (the batched forward pass) and the one-row forward pass, row by row.
            EpochReport report = TrainingWorkspace.WithDataTerms(default, layers, loss, network.Parameters, data);
            bool everyRowFinite = double.IsFinite(report.DataLoss);
            var o = new float[network.OutputSize];
            for (int r = 0; r < data.Count; r++)
            {
                network.Predict(data.GetFeatures(r), o);
                everyRowFinite &= float.IsFinite(LossFunctions.Compute(loss, output, o, data.GetTarget(r)));
            }

            if (finite)
            {
                Assert.True(everyRowFinite, $"trial {trial}: the bound proved a network finite whose loss is not ({network}, {data.Count} rows)");
                proven++;
            }
            else if (everyRowFinite)
            {
                notProvenButFinite++;
            }
            else
            {
                notProvenAndNonFinite++;
            }
        }

        // The draws cover both sides: networks proven finite, and networks whose loss really overflows (which the bound
        // must not prove); a test that only ever saw one side could not fail. (Bounded hidden layers before a sigmoid output
        // overflow rarely: only weights near float.MaxValue do it.)
        Assert.True(proven >= 150, $"only {proven} of 800 draws were proven finite");
        Assert.True(notProvenAndNonFinite >= 10, $"only {notProvenAndNonFinite} of 800 draws had a non-finite loss ({notProvenButFinite} finite but not proven)");
    }

    [Fact]
    public void The_bound_proves_an_ordinary_trained_network_finite()
    {
        (DenseNetwork network, Dataset data) = DeferredFinalTests.Problem(Activation.ReLU, Activation.Softmax);
        new BackPropTrainer(new TrainerOptions { Epochs = 5, LearningRate = 0.05f, BatchSize = 4, Loss = LossFunction.CrossEntropy }).Train(network, data);

        Assert.True(LossBound.ProvesFinite([.. network.Layers], network.Parameters, data, LossFunction.CrossEntropy));
        Assert.True(LossBound.ProvesFinite([.. network.Layers], network.Parameters, data, LossFunction.SquaredError));
    }

    [Fact]
    public void The_bound_is_not_proven_one_step_past_the_limit()
    {
        // 1 input of magnitude 1, one identity unit: the pre-activation bound is |w| + |b|.
        DenseNetwork network = NetworkBuilder.Input(1).Dense(1, Activation.Identity).Build();
        Dataset data = Dataset.FromTargets(new float[,] { { 1f }, { -0.5f } }, new float[,] { { 0f }, { 0f } });
        LayerInfo[] layers = [.. network.Layers];

        network.Parameters[0] = 1e30f;
        network.Parameters[1] = 0f;
        Assert.False(LossBound.ProvesFinite(layers, network.Parameters, data, LossFunction.SquaredError)); // (1e30)^2 > 1e30
        network.Parameters[0] = 1.01e15f;
        Assert.False(LossBound.ProvesFinite(layers, network.Parameters, data, LossFunction.SquaredError)); // 1.02e30
        network.Parameters[0] = 9e14f;
        Assert.True(LossBound.ProvesFinite(layers, network.Parameters, data, LossFunction.SquaredError));
    }

    [Fact]
    public void Dataset_feature_and_target_magnitudes_are_the_column_maxima_of_absolute_values()
    {
        Dataset data = Dataset.FromTargets(
            new float[,] { { 1f, -7f, 0f }, { -3f, 2f, -0f }, { 2.5f, 6.5f, 0f } },
            new float[,] { { -1e10f, 0.5f }, { 2f, -0.75f }, { 3f, 0.25f } });

        Assert.Equal(new[] { 3f, 7f, 0f }, data.FeatureMagnitudes.ToArray());
        Assert.Equal(new[] { 1e10f, 0.75f }, data.TargetMagnitudes.ToArray());
        Assert.True(data.FeatureMagnitudes == data.FeatureMagnitudes, "computed once and kept");
    }
}
