using System.Collections.ObjectModel;
using L1Net.Data;

namespace L1Net.Seed;

/// <summary>
/// The synthetic data of the seed article ("Neural Network L1 Regularization Using Python",
/// J. McCaffrey, Visual Studio Magazine, 2017), reproduced bit for bit: 10 float32 inputs per
/// row and a label among 4 classes, produced by a fixed, randomly weighted 10-15-4 generating
/// network.
/// </summary>
/// <remarks>
/// <para>
/// Generator: a 10-15-4 network, tanh hidden layer, softmax output. Its 229 parameters are drawn
/// in order from <c>new PyRandom(seedForGenerator)</c>, each <c>19.8 * Random() - 9.9</c>
/// (computed in double, then stored as float32), laid out as input-to-hidden weights
/// <c>[i][j]</c> (10 inputs <c>i</c> outer, 15 hidden <c>j</c> inner), the 15 hidden biases,
/// hidden-to-output weights <c>[j][k]</c> (<c>j</c> outer, 4 outputs <c>k</c> inner), the 4
/// output biases. The listing writes this <c>(hi - lo) * random() + lo</c>; CPython's
/// <c>uniform(-9.9, 9.9)</c> computes <c>-9.9 + (9.9 - (-9.9)) * random()</c>. All three forms
/// give the same double for every draw: <c>9.9 - (-9.9) = 2 * 9.9</c> is exactly the double
/// nearest 19.8, IEEE addition is commutative, and <c>x + (-9.9)</c> is <c>x - 9.9</c>.
/// </para>
/// <para>
/// Rows: drawn from <c>new PyRandom(seedForRows)</c>; each row takes 10 draws, input
/// <c>i = (float)(16 * Random() - 8)</c> (the same double as the listing's
/// <c>(8 - (-8)) * random() + (-8)</c>); the float32 rounding can give exactly <c>8f</c> for a
/// draw just below 1. The label is the index of the generator's largest output, the first one
/// on a tie. The generator takes no draws from the row generator.
/// </para>
/// <para>
/// The generator's forward pass follows the listing's numpy precision: products and sums of the
/// pre-activations in float32 (one rounding per operation, accumulated from 0 in input order,
/// bias added last); <c>tanh</c> (exactly -1 below -20 and 1 above 20) computed in double on the
/// float32 sum and stored as float32; softmax with the float32 maximum subtracted in float32,
/// <c>exp</c> and the divisor in double, each output stored as float32. Only the argmax is kept,
/// and a plain float64 forward gives the same labels for the article's data (the two largest
/// outputs of a row differ by at least 0.115), so the labels do not depend on these details;
/// they are kept to match the listing. <c>Math.Tanh</c> and <c>Math.Exp</c> come from the
/// platform's C library, as CPython's <c>math.tanh</c> and <c>math.exp</c> do.
/// </para>
/// </remarks>
public static class SeedData
{
    /// <summary>The number of inputs (features) per row: 10.</summary>
    public const int InputCount = 10;

    /// <summary>The number of hidden units of the generating network: 15.</summary>
    public const int HiddenCount = 15;

    /// <summary>The number of classes (outputs of the generating network): 4.</summary>
    public const int ClassCount = 4;

    /// <summary>
    /// The number of parameters of the generating network:
    /// <c>10 * 15 + 15 + 15 * 4 + 4 = 229</c>.
    /// </summary>
    public const int GeneratorParameterCount =
        (InputCount * HiddenCount) + HiddenCount + (HiddenCount * ClassCount) + ClassCount;

    /// <summary>The article's seed for the generating network's parameters: 3.</summary>
    public const int ArticleGeneratorSeed = 3;

    /// <summary>The article's seed for the training rows: 16.</summary>
    public const int ArticleTrainSeed = 16;

    /// <summary>The article's seed for the test rows: 18.</summary>
    public const int ArticleTestSeed = 18;

    /// <summary>The article's number of training rows: 200.</summary>
    public const int ArticleTrainRowCount = 200;

    /// <summary>The article's number of test rows: 40.</summary>
    public const int ArticleTestRowCount = 40;

    private const double WeightLow = -9.9;
    private const double WeightHigh = 9.9;
    private const double InputLow = -8.0;
    private const double InputHigh = 8.0;

    private const int HiddenBiasOffset = InputCount * HiddenCount;
    private const int HiddenToOutputOffset = HiddenBiasOffset + HiddenCount;
    private const int OutputBiasOffset = HiddenToOutputOffset + (HiddenCount * ClassCount);

    /// <summary>
    /// The article's training data: 200 rows from <c>PyRandom(16)</c>, labelled by the generator
    /// drawn from <c>PyRandom(3)</c>. Same as <c>MakeRows(3, 16, 200)</c>.
    /// </summary>
    /// <returns>A new instance holding the 200 training rows.</returns>
    public static SeedRows Train() => MakeRows(ArticleGeneratorSeed, ArticleTrainSeed, ArticleTrainRowCount);

    /// <summary>
    /// The article's test data: 40 rows from <c>PyRandom(18)</c>, labelled by the generator
    /// drawn from <c>PyRandom(3)</c>. Same as <c>MakeRows(3, 18, 40)</c>.
    /// </summary>
    /// <returns>A new instance holding the 40 test rows.</returns>
    public static SeedRows Test() => MakeRows(ArticleGeneratorSeed, ArticleTestSeed, ArticleTestRowCount);

    /// <summary>
    /// The 229 parameters of the 10-15-4 generating network, each
    /// <c>(float)(19.8 * Random() - 9.9)</c> drawn in order from
    /// <c>new PyRandom(seedForGenerator)</c>, in the layout described on <see cref="SeedData"/>:
    /// input-to-hidden <c>[i * 15 + j]</c>, hidden biases at 150, hidden-to-output
    /// <c>[165 + j * 4 + k]</c>, output biases at 225.
    /// </summary>
    /// <param name="seedForGenerator">The seed, <c>&gt;= 0</c>.</param>
    /// <returns>A new array of <see cref="GeneratorParameterCount"/> values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seedForGenerator"/> is negative.</exception>
    public static float[] GeneratorParameters(int seedForGenerator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seedForGenerator);
        var random = new PyRandom((uint)seedForGenerator);
        var parameters = new float[GeneratorParameterCount];
        for (int p = 0; p < parameters.Length; p++)
        {
            parameters[p] = (float)(((WeightHigh - WeightLow) * random.Random()) + WeightLow);
        }

        return parameters;
    }

    /// <summary>
    /// Makes <paramref name="rowCount"/> rows: a 10-15-4 generating network drawn from
    /// <c>PyRandom(seedForGenerator)</c> (see <see cref="GeneratorParameters"/>), and for each row
    /// 10 inputs <c>(float)(16 * Random() - 8)</c> drawn from <c>PyRandom(seedForRows)</c>,
    /// labelled by the index of the generator's largest output (first one on a tie).
    /// </summary>
    /// <param name="seedForGenerator">The seed of the generating network's parameters, <c>&gt;= 0</c> (the article: 3).</param>
    /// <param name="seedForRows">The seed of the rows' inputs, <c>&gt;= 0</c> (the article: 16 for training, 18 for test).</param>
    /// <param name="rowCount">The number of rows, <c>&gt;= 0</c>.</param>
    /// <returns>A new instance holding the rows.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A seed or <paramref name="rowCount"/> is negative.</exception>
    public static SeedRows MakeRows(int seedForGenerator, int seedForRows, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seedForGenerator);
        ArgumentOutOfRangeException.ThrowIfNegative(seedForRows);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);

        float[] parameters = GeneratorParameters(seedForGenerator);
        var random = new PyRandom((uint)seedForRows);
        var features = new float[rowCount * InputCount];
        var labels = new int[rowCount];
        Span<float> hidden = stackalloc float[HiddenCount];
        Span<float> outputs = stackalloc float[ClassCount];
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> row = features.AsSpan(r * InputCount, InputCount);
            for (int i = 0; i < InputCount; i++)
            {
                row[i] = (float)(((InputHigh - InputLow) * random.Random()) + InputLow);
            }

            GeneratorForward(parameters, row, hidden, outputs);
            labels[r] = IndexOfFirstMax(outputs);
        }

        return new SeedRows(features, labels, InputCount, ClassCount);
    }

    /// <summary>The listing's <c>computeOutputs</c>, in its precision (see the remarks on <see cref="SeedData"/>).</summary>
    private static void GeneratorForward(ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> hidden, Span<float> outputs)
    {
        for (int j = 0; j < HiddenCount; j++)
        {
            float sum = 0f;
            for (int i = 0; i < InputCount; i++)
            {
                sum += (float)(x[i] * p[(i * HiddenCount) + j]);
            }

            sum += p[HiddenBiasOffset + j];
            hidden[j] = (float)HyperTan(sum);
        }

        for (int k = 0; k < ClassCount; k++)
        {
            float sum = 0f;
            for (int j = 0; j < HiddenCount; j++)
            {
                sum += (float)(hidden[j] * p[HiddenToOutputOffset + (j * ClassCount) + k]);
            }

            outputs[k] = sum + p[OutputBiasOffset + k];
        }

        // Softmax: float32 max and differences, exp and divisor in double, results in float32.
        float max = outputs[0];
        for (int k = 1; k < ClassCount; k++)
        {
            if (outputs[k] > max)
            {
                max = outputs[k];
            }
        }

        double divisor = 0.0;
        for (int k = 0; k < ClassCount; k++)
        {
            divisor += Math.Exp((float)(outputs[k] - max));
        }

        for (int k = 0; k < ClassCount; k++)
        {
            outputs[k] = (float)(Math.Exp((float)(outputs[k] - max)) / divisor);
        }
    }

    /// <summary>The listing's <c>hypertan</c>: -1 below -20, 1 above 20, else <c>tanh(x)</c> in double.</summary>
    private static double HyperTan(float x)
    {
        if (x < -20.0)
        {
            return -1.0;
        }

        if (x > 20.0)
        {
            return 1.0;
        }

        return Math.Tanh(x);
    }

    private static int IndexOfFirstMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }
}

/// <summary>
/// Labelled rows of <see cref="SeedData"/>: <see cref="RowCount"/> rows of
/// <see cref="FeatureCount"/> float32 features, stored row-major, each with a class label in
/// <c>[0, ClassCount)</c>. Immutable.
/// </summary>
public sealed class SeedRows
{
    private readonly float[] _features;
    private readonly int[] _labels;

    internal SeedRows(float[] features, int[] labels, int featureCount, int classCount)
    {
        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        Labels = new ReadOnlyCollection<int>(labels);
    }

    /// <summary>The number of rows.</summary>
    public int RowCount => _labels.Length;

    /// <summary>The number of features (inputs) per row: 10 for <see cref="SeedData"/>.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of classes: 4 for <see cref="SeedData"/>.</summary>
    public int ClassCount { get; }

    /// <summary>
    /// All features, row-major: feature <c>i</c> of row <c>r</c> is at
    /// <c>r * FeatureCount + i</c>. Length <c>RowCount * FeatureCount</c>.
    /// </summary>
    public ReadOnlyMemory<float> Features => _features;

    /// <summary>The class label of each row, in <c>[0, ClassCount)</c>.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The <see cref="FeatureCount"/> features of one row.</summary>
    /// <param name="row">The row index, <c>0 &lt;= row &lt; RowCount</c>.</param>
    /// <returns>A read-only view of the row's features.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is out of range.</exception>
    public ReadOnlySpan<float> GetFeatures(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        return new ReadOnlySpan<float>(_features, row * FeatureCount, FeatureCount);
    }

    /// <summary>
    /// The one-hot targets, row-major: element <c>r * ClassCount + k</c> is 1 when
    /// <c>k == Labels[r]</c>, else 0.
    /// </summary>
    /// <returns>A new array of length <c>RowCount * ClassCount</c>.</returns>
    public float[] CreateOneHotTargets()
    {
        var targets = new float[_labels.Length * ClassCount];
        for (int r = 0; r < _labels.Length; r++)
        {
            targets[(r * ClassCount) + _labels[r]] = 1f;
        }

        return targets;
    }

    /// <summary>These rows as an L1Net <see cref="Dataset"/> with class labels (one-hot targets).</summary>
    /// <returns>A new dataset.</returns>
    public Dataset ToDataset() => Dataset.FromLabels(_features, FeatureCount, _labels, ClassCount);

    /// <summary>The number of rows of each class: element <c>k</c> counts the rows labelled <c>k</c>.</summary>
    /// <returns>A new array of length <see cref="ClassCount"/>.</returns>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        foreach (int label in _labels)
        {
            counts[label]++;
        }

        return counts;
    }
}
