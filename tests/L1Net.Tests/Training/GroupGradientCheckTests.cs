using L1Net.Tests.Support;

namespace L1Net.Tests.Training;

/// <summary>
/// Finite-difference checks with the group penalties: their smooth part is zero (the whole penalty is applied by the proximal
/// step), so <see cref="BackPropTrainer.ComputeGradient"/> must return exactly the data gradient, which is checked against
/// central differences of the double-precision reference, and the objective must be the data loss plus the group penalty
/// computed from its definition in double precision.
/// </summary>
public class GroupGradientCheckTests
{
    private static readonly Activation[] HiddenActivations = [Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU];

    public static TheoryData<LossFunction, Activation, Activation, int, int> Cases()
    {
        var data = new TheoryData<LossFunction, Activation, Activation, int, int>();
        (LossFunction, Activation)[] heads = [(LossFunction.SquaredError, Activation.Identity), (LossFunction.CrossEntropy, Activation.Softmax), (LossFunction.CrossEntropy, Activation.Sigmoid)];
        foreach ((LossFunction loss, Activation output) in heads)
        {
            foreach (Activation hidden in HiddenActivations)
            {
                foreach (int depth in new[] { 1, 2 })
                {
                    foreach (int kind in new[] { 0, 1, 2, 3 })
                    {
                        data.Add(loss, output, hidden, depth, kind);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_with_a_group_penalty_is_the_data_gradient_and_the_objective_adds_the_penalty(LossFunction loss, Activation output, Activation hidden, int depth, int kind)
    {
        IRegularizer regularizer = kind switch
        {
            0 => Regularizer.InputGroupLasso(0.3f),
            1 => Regularizer.UnitGroupLasso(0.3f),
            2 => Regularizer.GroupLasso(0.3f),
            _ => Regularizer.SparseGroupLasso(0.3f, 0.4f, GroupTarget.InputsAndUnits),
        };
        (DenseNetwork network, Dataset data) = RandomProblems.Create(loss, output, [.. Enumerable.Repeat(hidden, depth)], 7000 + ((int)loss * 100) + ((int)hidden * 10) + depth + (kind * 1000));
        var options = new TrainerOptions { Loss = loss, RegularizeBiases = kind == 3 };

        var analytic = new float[network.ParameterCount];
        double j = new BackPropTrainer(options, regularizer).ComputeGradient(network, data, analytic);

        RegSpec[] none = [.. network.Layers.Select(_ => RegSpec.Of(RegKind.None))];
        double[] numeric = ReferenceModel.NumericGradient(network.Layers, network.Parameters, data, loss, none, false, GradientCheckTests.Step);
        double dataLoss = ReferenceModel.Objective(network.Layers, ReferenceModel.ToDouble(network.Parameters), data, loss, none, false);
        double penalty = ReferencePenalty(network, kind);
        GradientCheckTests.CheckResult result = GradientCheckTests.CheckResult.Compare(analytic, numeric, j, dataLoss + penalty, network.ToString());

        Assert.True(result.Passed, result.Describe());
        Assert.True(penalty > 0);
        Assert.Equal(dataLoss + penalty, j, 1e-5 * Math.Max(1, Math.Abs(j)));
    }

    /// <summary>0.3 ((1 - a) sqrt(rows) sum of column norms + a sum |w|) over the penalized layers, in double precision.</summary>
    private static double ReferencePenalty(DenseNetwork network, int kind)
    {
        double ratio = kind == 3 ? 0.4 : 0;
        double total = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            bool penalized = kind switch
            {
                0 => l == 0,
                1 => l > 0,
                _ => true,
            };
            if (!penalized)
            {
                continue;
            }

            LayerInfo layer = network.Layers[l];
            ReadOnlySpan<float> w = network.GetWeights(l);
            double norms = 0;
            double l1 = 0;
            for (int c = 0; c < layer.InputSize; c++)
            {
                double s = 0;
                for (int r = 0; r < layer.OutputSize; r++)
                {
                    double x = w[(r * layer.InputSize) + c];
                    s += x * x;
                    l1 += Math.Abs(x);
                }

                norms += Math.Sqrt(s);
            }

            total += ((1 - ratio) * Math.Sqrt(layer.OutputSize) * norms) + (ratio * l1);
        }

        return 0.3f * total;
    }
}
