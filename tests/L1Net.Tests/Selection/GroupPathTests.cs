using L1Net.Tests.Regularization;

namespace L1Net.Tests.Selection;

/// <summary>The regularization path and cross-validation with group penalties: lambda_max and the selected inputs and units per lambda.</summary>
public class GroupPathTests
{
    private static readonly Dataset Data = SparsityProblem.Create(400, 7);

    private static TrainerOptions Trainer => new() { Epochs = 60, BatchSize = 100, Seed = 3, Optimizer = Optimizer.Adam(0.01f) };

    [Fact]
    public void Lambda_max_of_an_input_group_lasso_leaves_no_input_and_half_of_it_some()
    {
        var path = new RegularizationPath(new RegularizationPathOptions { Trainer = Trainer, CreateRegularizer = Regularizer.InputGroupLasso });
        DenseNetwork net = SparsityProblem.Network(hidden: 8);
        float[] before = net.Parameters.ToArray();

        float lambdaMax = path.FindLambdaMax(net, Data);

        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Empty(Train(lambdaMax).Inputs);
        Assert.NotEmpty(Train(lambdaMax / 2).Inputs);

        // Only the first layer is penalized: the later layers keep nonzero weights at lambda_max.
        DenseNetwork trained = SparsityProblem.Network(hidden: 8);
        new BackPropTrainer(Trainer, Regularizer.InputGroupLasso(lambdaMax)).Train(trained, Data);
        Assert.All(trained.GetWeights(0).ToArray(), w => Assert.Equal(0f, w));
        Assert.Contains(trained.GetWeights(1).ToArray(), w => w != 0f);

        static NetworkSelection Train(float lambda)
        {
            DenseNetwork n = SparsityProblem.Network(hidden: 8);
            new BackPropTrainer(Trainer, Regularizer.InputGroupLasso(lambda)).Train(n, Data);
            return NetworkPruner.Analyze(n);
        }
    }

    [Fact]
    public void Every_path_point_reports_the_inputs_and_units_its_network_uses()
    {
        var options = new RegularizationPathOptions { Trainer = Trainer, CreateRegularizer = Regularizer.GroupLasso, Lambdas = [0.3f, 0.1f, 0.03f, 0.003f] };
        RegularizationPathResult result = new RegularizationPath(options).Run(SparsityProblem.Network(hidden: 8), Data);

        DenseNetwork scratch = SparsityProblem.Network(hidden: 8);
        foreach (PathPoint point in result.Points)
        {
            point.CopyTo(scratch);
            NetworkSelection expected = NetworkPruner.Analyze(scratch);
            Assert.Equal(expected.Inputs, point.Selection.Inputs);
            Assert.Equal(expected.Units, point.Selection.Units);
            Assert.Equal(SparsityProblem.Inputs, point.Selection.InputCount);
            Assert.Equal(8, point.Selection.HiddenUnitCount);
        }

        // Fewer inputs at larger lambda; the two informative inputs are among those kept in the middle of the path.
        int[] counts = [.. result.Points.Select(p => p.Selection.Inputs.Count)];
        Assert.Equal(counts.Order(), counts);
        Assert.Contains(result.Points, p => p.Selection.Inputs.SequenceEqual([0, 1]));
        Assert.True(result.Points[^1].Selection.Inputs.Count > 2);
    }

    [Fact]
    public void Cross_validation_scores_count_the_selected_inputs_and_units_of_the_full_data_network()
    {
        var pathOptions = new RegularizationPathOptions { Trainer = Trainer, CreateRegularizer = Regularizer.InputGroupLasso, Lambdas = [0.3f, 0.1f, 0.0003f] };
        CrossValidationResult cv = new CrossValidation(pathOptions, new CrossValidationOptions { Folds = 3, Seed = 1 })
            .Run(SparsityProblem.Network(hidden: 8), Data);

        for (int k = 0; k < cv.Scores.Count; k++)
        {
            Assert.Equal(cv.Path.Points[k].Selection.Inputs.Count, cv.Scores[k].SelectedInputs);
            Assert.Equal(cv.Path.Points[k].Selection.UnitCount, cv.Scores[k].SelectedUnits);
        }

        Assert.Equal(SparsityProblem.Inputs, cv.Scores[^1].SelectedInputs);
        Assert.True(cv.Scores[1].SelectedInputs < SparsityProblem.Inputs);
    }
}
