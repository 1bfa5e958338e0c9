using L1Net.Tests.Support;

namespace L1Net.Tests.Networks;

/// <summary>
/// Prediction into the span that holds the input (in place, or overlapping): the result is what a separate output span
/// gets. One-row <see cref="DenseNetwork.Predict"/> wrote outputs while it still read the input, and a batch whose outputs
/// are longer than its inputs overwrote rows of a later block before reading them.
/// </summary>
public sealed class InPlacePredictionTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(6, 2)]
    [InlineData(2, 6)]
    public void Predict_in_place_gives_the_separate_output(int inputs, int outputs)
    {
        DenseNetwork network = NetworkBuilder.Input(inputs).Dense(outputs, Activation.Identity).Build(new GlorotUniformInitializer(3));
        float[] buffer = Floats.RandomValues(Math.Max(inputs, outputs), 1);
        float[] expected = new float[outputs];
        network.Predict(buffer.AsSpan(0, inputs), expected);

        network.Predict(buffer.AsSpan(0, inputs), buffer.AsSpan(0, outputs));

        Assert.Equal(expected, buffer[..outputs]);
    }

    [Theory]
    [InlineData(4, 4, 300)]
    [InlineData(2, 6, 300)]
    [InlineData(6, 2, 300)]
    [InlineData(2, 6, 3)]
    [InlineData(2, 6, 200_000)] // outputs too many to stage in the per-thread scratch: the run writes them straight into the rows
    public void PredictBatch_into_overlapping_outputs_gives_the_separate_outputs(int inputs, int outputs, int rows)
    {
        DenseNetwork network = NetworkBuilder.Input(inputs).Dense(8, Activation.Tanh).Dense(outputs, Activation.Identity).Build(new GlorotUniformInitializer(3));
        float[] buffer = Floats.RandomValues(Math.Max(inputs, outputs) * rows, 2);
        float[] expected = new float[outputs * rows];
        network.PredictBatch(buffer.AsSpan(0, inputs * rows), expected);

        network.PredictBatch(buffer.AsSpan(0, inputs * rows), buffer.AsSpan(0, outputs * rows));

        Assert.Equal(expected, buffer[..(outputs * rows)]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_model_predicts_probabilities_into_its_own_feature_rows(bool standardized)
    {
        const int rows = 600, features = 2, classes = 5;
        DenseNetwork network = NetworkBuilder.Input(features).Dense(classes, Activation.Softmax).Build(new GlorotUniformInitializer(4));
        float[] buffer = Floats.RandomValues(rows * classes, 3);
        var model = new ClassificationModel(network, ["a", "b"], ["p", "q", "r", "s", "t"])
        {
            Preprocessor = standardized ? Standardizer.FromStatistics([0.5f, -0.5f], [2f, 0.25f]) : null,
        };
        float[] expected = new float[rows * classes];
        model.PredictProbabilities(buffer.AsSpan(0, rows * features), expected);

        model.PredictProbabilities(buffer.AsSpan(0, rows * features), buffer);

        Assert.Equal(expected, buffer);
    }
}
