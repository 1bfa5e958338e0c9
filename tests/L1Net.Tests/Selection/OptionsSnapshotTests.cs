namespace L1Net.Tests.Selection;

/// <summary>
/// Options are validated up front, so what was validated is what runs: <see cref="RegularizationPathOptions.Lambdas"/> and
/// <see cref="TrainerOptions.LayerRegularizers"/> kept the caller's list, and a list changed after the path or trainer was
/// made ran unvalidated (a path over 0.1, 0.5, 0.4; a cross-validation over increasing lambdas whose 1se rule then picked
/// the smallest).
/// </summary>
public sealed class OptionsSnapshotTests
{
    private static DenseNetwork Network() =>
        NetworkBuilder.Input(3).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(1));

    private static Dataset Data()
    {
        var random = new Random(2);
        var x = new float[30, 3];
        var y = new int[30];
        for (int r = 0; r < 30; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                x[r, c] = (float)((random.NextDouble() * 2) - 1);
            }

            y[r] = r % 3;
        }

        return Dataset.FromLabels(x, y, 3);
    }

    [Fact]
    public void A_lambda_list_changed_after_validation_does_not_change_the_path()
    {
        var lambdas = new List<float> { 0.1f, 0.01f, 0.001f };
        var path = new RegularizationPath(new RegularizationPathOptions { Trainer = new TrainerOptions { Epochs = 1 }, CreateRegularizer = Regularizer.L1, Lambdas = lambdas });

        lambdas[1] = 0.5f;
        lambdas[2] = float.NaN;

        Assert.Equal([0.1f, 0.01f, 0.001f], path.Options.Lambdas);
        Assert.Equal([0.1f, 0.01f, 0.001f], path.Run(Network(), Data()).Points.Select(p => p.Lambda));
    }

    [Fact]
    public void A_lambda_list_reversed_after_validation_does_not_reverse_the_cross_validation()
    {
        var lambdas = new List<float> { 0.1f, 0.01f, 0.001f };
        var cv = new CrossValidation(
            new RegularizationPathOptions { Trainer = new TrainerOptions { Epochs = 1 }, CreateRegularizer = Regularizer.L1, Lambdas = lambdas },
            new CrossValidationOptions { Folds = 3 });

        lambdas.Reverse();

        Assert.Equal([0.1f, 0.01f, 0.001f], cv.Run(Network(), Data()).Scores.Select(s => s.Lambda));
    }

    [Fact]
    public void A_layer_regularizer_list_changed_after_validation_is_not_seen()
    {
        var layers = new List<IRegularizer> { Regularizer.L1(0.01f), Regularizer.None };
        var options = new TrainerOptions { Epochs = 1, LayerRegularizers = layers };
        var trainer = new BackPropTrainer(options);

        layers[1] = null!;
        layers.Add(Regularizer.L2(0.1f));

        Assert.Equal(2, trainer.Options.LayerRegularizers!.Count);
        Assert.NotNull(trainer.Options.LayerRegularizers[1]);
        Assert.Equal(TrainingStopReason.Completed, trainer.Train(Network(), Data()).StopReason);
        Assert.Throws<NotSupportedException>(() => ((IList<IRegularizer>)options.LayerRegularizers!)[0] = Regularizer.None);
    }
}
