using L1Net.Tests.Support;

namespace L1Net.Tests.Training;

/// <summary>The same seed gives bit-identical parameters; a different seed gives a different run.</summary>
public class DeterminismTests
{
    public static TheoryData<int, float, RegKind> Cases()
    {
        var data = new TheoryData<int, float, RegKind>();
        foreach (int batch in new[] { 1, 8 })
        {
            foreach (float momentum in new[] { 0f, 0.9f })
            {
                foreach (RegKind reg in new[] { RegKind.None, RegKind.L1, RegKind.ElasticNet })
                {
                    data.Add(batch, momentum, reg);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_trainings_with_the_same_seed_give_bit_identical_parameters(int batchSize, float momentum, RegKind reg)
    {
        Dataset data = RandomProblems.Classification(21, rows: 60, features: 6, classes: 3);

        (float[] first, TrainingResult r1) = Train(data, batchSize, momentum, reg, seed: 7);
        (float[] second, TrainingResult r2) = Train(data, batchSize, momentum, reg, seed: 7);
        (float[] other, _) = Train(data, batchSize, momentum, reg, seed: 8);

        Floats.AssertBitwiseEqual(first, second, "parameters");
        Assert.Equal(r1.Final, r2.Final);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_reused_trainer_repeats_its_run()
    {
        // With SampleOrder left null the trainer makes a fresh shuffle from Seed for every call.
        Dataset data = RandomProblems.Classification(22, rows: 40, features: 6, classes: 3);
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 15, LearningRate = 0.05f, Seed = 3 }, Regularizer.L1(0.001f));
        DenseNetwork a = Network(), b = Network();

        trainer.Train(a, data);
        trainer.Train(b, data);

        Floats.AssertBitwiseEqual(a.Parameters, b.Parameters, "parameters");
    }

    private static (float[] Parameters, TrainingResult Result) Train(Dataset data, int batchSize, float momentum, RegKind reg, int seed)
    {
        DenseNetwork network = Network();
        var options = new TrainerOptions { Epochs = 20, LearningRate = 0.05f, BatchSize = batchSize, Momentum = momentum, Seed = seed };
        TrainingResult result = new BackPropTrainer(options, RegSpec.Of(reg, l1: 0.001f, l2: 0.01f).Create()).Train(network, data);
        Assert.True(result.Completed);
        return (network.Parameters.ToArray(), result);
    }

    private static DenseNetwork Network() =>
        NetworkBuilder.Input(6).Dense(10, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(5));
}
