using L1Net.Sparsity;

namespace L1Net.Tests.Selection;

/// <summary>
/// Choosing lambda on the seeded synthetic 10-class set with irrelevant inputs (the generator of docs/sparsity.md's
/// acceptance runs): the CV estimate against rows CV never saw, and the noise inputs dropped. A smaller version of
/// <c>dotnet run --project samples/L1Net.Sparsity -c Release -- acceptance</c>, so it runs with the unit tests.
/// </summary>
public class SyntheticSelectionTests
{
    [Fact]
    public void The_generator_is_seeded_and_its_noise_inputs_carry_no_class_information()
    {
        SyntheticData problem = SyntheticData.TenClass60();
        Dataset a = problem.Sample(2000, seed: 7);
        Dataset b = SyntheticData.TenClass60().Sample(2000, seed: 7);
        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.Equal(a.Labels.ToArray(), b.Labels.ToArray());
        Assert.NotEqual(a.Features.ToArray(), problem.Sample(2000, seed: 8).Features.ToArray());
        Assert.NotEqual(a.Features.ToArray(), SyntheticData.TenClass60(SyntheticData.SecondSeed).Sample(2000, seed: 7).Features.ToArray());   // another problem: other centres
        Assert.Equal((60, 10), (a.FeatureCount, a.ClassCount));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(200, a.Labels.ToArray().Count(l => l == c)));

        // Per class, an informative input's mean sits at the class centre; a noise input's at 0 (200 rows: SE 0.07).
        double largestNoiseMean = 0, largestInformativeMean = 0;
        for (int c = 0; c < 10; c++)
        {
            int[] rows = Enumerable.Range(0, a.Count).Where(r => a.GetLabel(r) == c).ToArray();
            for (int j = 0; j < 60; j++)
            {
                double mean = rows.Average(r => a.GetFeatures(r)[j]);
                if (j < 30)
                {
                    largestInformativeMean = Math.Max(largestInformativeMean, Math.Abs(mean));
                }
                else
                {
                    largestNoiseMean = Math.Max(largestNoiseMean, Math.Abs(mean));
                }
            }
        }

        Assert.InRange(largestNoiseMean, 0, 0.3);
        Assert.True(largestInformativeMean > 1, $"largest class mean of an informative input {largestInformativeMean}");
    }

    [Fact]
    public void Cv_is_not_optimistic_about_unseen_rows_and_cumulative_l1_at_the_chosen_lambda_drops_the_noise_inputs()
    {
        SyntheticData problem = SyntheticData.TenClass60();
        // k-fold CV scores models trained on (k - 1) / k of the rows, so where more rows still help it is pessimistic about
        // the refit on all of them. Measured with these small, quick trainings (20 epochs, 8 hidden units): 3 folds of 600
        // rows said 0.802 for a refit that scored 0.853 on the test rows; 5 folds of 1,000 rows (below) 0.860 against 0.893.
        // The acceptance run of docs/sparsity.md (60 epochs, 16 units) is within 2 points; here the test checks the side the
        // old chained folds got wrong: CV must not be optimistic, and its pessimism stays bounded.
        Dataset train = problem.Sample(1000, seed: 11);
        Dataset test = problem.Sample(3000, seed: 12);
        DenseNetwork Initial() => NetworkBuilder.Input(60).Dense(8, Activation.Tanh).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 1));
        var trainer = new TrainerOptions { Epochs = 20, LearningRate = 0.1f, BatchSize = 16, Seed = 0 };
        var cv = new CrossValidation(
            new RegularizationPathOptions { Trainer = trainer, CreateRegularizer = Regularizer.CumulativeL1, Lambdas = [0.04f, 0.02f, 0.01f, 0.005f, 0.0025f] },
            new CrossValidationOptions { Folds = 5, MaxDegreeOfParallelism = -1 });

        CrossValidationResult result = cv.Run(Initial(), train);

        DenseNetwork model = Initial();
        result.Model.CopyTo(model);
        double testAccuracy = Metrics.Accuracy(model, test);
        Assert.InRange(testAccuracy - result.Chosen.MeanAccuracy, -0.02, 0.05);

        DenseNetwork none = Initial();
        new BackPropTrainer(trainer, Regularizer.None).Train(none, train);
        Assert.True(testAccuracy >= Metrics.Accuracy(none, test) - 0.01, $"lambda.1se {testAccuracy:F3} against none {Metrics.Accuracy(none, test):F3}");

        ReadOnlySpan<float> w = model.GetWeights(0);
        int zero = 0;
        for (int o = 0; o < 8; o++)
        {
            for (int i = 30; i < 60; i++)
            {
                zero += w[(o * 60) + i] == 0f ? 1 : 0;
            }
        }

        Assert.True(zero > 8 * 30 / 2, $"{zero} of 240 noise-input weights are zero");
    }
}
