using System.Diagnostics;
using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Optimization;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Training;
using ScottPlot;

namespace L1Net.Sparsity;

/// <summary>
/// Feature selection measured (docs/sparsity.md, "Selecting inputs"): on a nonlinear problem with <see cref="Relevant"/> relevant
/// of <see cref="Inputs"/> inputs, input-group lasso and element-wise proximal L1, each at its cross-validated lambda, side
/// by side over several seeds; and Wine, the group path's accuracy against the unregularized network's.
/// </summary>
internal static class SelectionExperiment
{
    public const int Inputs = 64;
    public const int Relevant = 8;

    private const string GroupName = "group lasso (inputs + units)";

    /// <summary>
    /// The problem: 64 inputs, each N(0, 1); the class comes from a fixed "teacher" on the first 8 inputs only,
    /// <c>y = [sum_{h &lt; 4} tanh(0.6 sum_{j &lt; 8} s_hj x_j) &gt; 0]</c>, where <c>s_hj = b_j</c> (a fixed sign per input) except that
    /// unit <c>h</c> flips the inputs with <c>j mod 4 = h</c>. So every relevant input enters the four units alike (three
    /// with one sign, one with the other): all eight matter equally. The target is odd in <c>x</c> (balanced classes) and
    /// its boundary is curved; the other 56 inputs carry no information.
    /// </summary>
    public static Dataset Make(int rows, ulong seed)
    {
        double[] signs = [1, -1, 1, 1, -1, 1, -1, -1];
        var random = new SyntheticData.SplitMix(seed);
        var features = new float[rows * Inputs];
        var labels = new int[rows];
        Span<double> z = stackalloc double[4];
        for (int r = 0; r < rows; r++)
        {
            z.Clear();
            for (int j = 0; j < Inputs; j++)
            {
                float x = (float)random.NextGaussian();
                features[(r * Inputs) + j] = x;
                if (j < Relevant)
                {
                    for (int h = 0; h < 4; h++)
                    {
                        z[h] += 0.6 * (j % 4 == h ? -signs[j] : signs[j]) * x;
                    }
                }
            }

            double output = 0;
            foreach (double zh in z)
            {
                output += Math.Tanh(zh);
            }

            labels[r] = output > 0 ? 1 : 0;
        }

        return Dataset.FromLabels(features, Inputs, labels, 2);
    }

    /// <summary>Adam on batches of 256, 120 epochs, from a 64-16-2 Glorot network (seed 1).</summary>
    public static TrainerOptions Trainer => new() { Epochs = 120, BatchSize = 256, Seed = 0, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam(0.01f) };

    private static DenseNetwork Initial(int inputs, int hidden, int classes) =>
        NetworkBuilder.Input(inputs).Dense(hidden, Activation.Tanh).Dense(classes, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 1));

    /// <summary>Runs the synthetic comparison for seeds 1..<paramref name="seeds"/> and the Wine path; writes the plots into <paramref name="outputDir"/>.</summary>
    public static bool Run(int seeds, int threads, string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        bool ok = true;
        Console.WriteLine($"Synthetic: {Inputs} inputs ({Relevant} relevant: the class is the sign of a fixed 4-unit tanh teacher on them), 1,500 training rows, 5,000 test rows per seed;");
        Console.WriteLine("64-16-2 tanh/softmax, Adam(0.01), batch 256, 120 epochs; lambda by 5-fold CV (10 lambdas from lambda_max down to lambda_max / 100, rule 1se), refit on all training rows.");
        Console.WriteLine();
        Console.WriteLine("| seed | regularizer | lambda (1se) | relevant kept | irrelevant kept | hidden units | test accuracy |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
        var totals = new Dictionary<string, (int Relevant, int Irrelevant)>();
        CrossValidationResult? plotGroup = null;
        CrossValidationResult? plotL1 = null;
        for (int seed = 1; seed <= seeds; seed++)
        {
            Dataset train = Make(1500, (ulong)(1000 + seed));
            Dataset test = Make(5000, (ulong)(2000 + seed));
            foreach ((string name, Func<float, IRegularizer> create) in new (string, Func<float, IRegularizer>)[] { (GroupName, Regularizer.GroupLasso), ("input-group lasso (first layer only)", Regularizer.InputGroupLasso), ("proximal L1", Regularizer.ProximalL1) })
            {
                var stopwatch = Stopwatch.StartNew();
                var path = new RegularizationPathOptions { Trainer = Trainer, CreateRegularizer = create, LambdaCount = 10, LambdaMinRatio = 1e-2f };
                var cv = new CrossValidation(path, new CrossValidationOptions { Folds = 5, Seed = 0, Stratified = true, Rule = LambdaRule.OneStandardError, Refit = true, MaxDegreeOfParallelism = threads });
                DenseNetwork network = Initial(Inputs, 16, 2);
                CrossValidationResult result = cv.Run(network, train);
                result.Model.CopyTo(network);
                NetworkSelection selection = result.Model.Selection;
                int relevant = selection.Inputs.Count(i => i < Relevant);
                int irrelevant = selection.Inputs.Count - relevant;
                double accuracy = Metrics.Accuracy(network, test);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {seed} | {name} | {result.LambdaChosen:G3} | {relevant} of {Relevant} | {irrelevant} of {Inputs - Relevant} | {selection.UnitCount} of 16 | {accuracy:F4} |"));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({name}, seed {seed}: {stopwatch.Elapsed.TotalSeconds:F0} s)"));
                if (Environment.GetEnvironmentVariable("SELECTION_VERBOSE") is not null)
                {
                    for (int k = 0; k < result.Scores.Count; k++)
                    {
                        LambdaScore sc = result.Scores[k];
                        int rel = result.Path.Points[k].Selection.Inputs.Count(i => i < Relevant);
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {sc.Lambda:G3}: loss {sc.MeanLoss:F4} +- {sc.LossStandardError:F4}, acc {sc.MeanAccuracy:F4} +- {sc.AccuracyStandardError:F4}, rel {rel}, irr {sc.SelectedInputs - rel}, units {sc.SelectedUnits}"));
                    }
                }
                (int r, int i) = totals.GetValueOrDefault(name);
                totals[name] = (r + relevant, i + irrelevant);
                if (seed == 1)
                {
                    if (name == "proximal L1")
                    {
                        plotL1 = result;
                    }
                    else if (name == GroupName)
                    {
                        plotGroup = result;
                    }
                }
            }
        }

        {
            for (int seed = 1; seed <= seeds; seed++)
            {
                Dataset train = Make(1500, (ulong)(1000 + seed));
                Dataset test = Make(5000, (ulong)(2000 + seed));
                foreach ((string name, Func<float, IRegularizer> create) in new (string, Func<float, IRegularizer>)[] { (GroupName + ", relaxed CV", Regularizer.GroupLasso), ("input-group lasso, relaxed CV", Regularizer.InputGroupLasso), ("proximal L1, relaxed CV", Regularizer.ProximalL1) })
                {
                    (float lambda, NetworkSelection selection, double accuracy) = RelaxedChoice(train, test, create);
                    int relevant = selection.Inputs.Count(i => i < Relevant);
                    int irrelevant = selection.Inputs.Count - relevant;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {seed} | {name} | {lambda:G3} | {relevant} of {Relevant} | {irrelevant} of {Inputs - Relevant} | {selection.UnitCount} of 16 | {accuracy:F4} |"));
                    (int r, int i) = totals.GetValueOrDefault(name);
                    totals[name] = (r + relevant, i + irrelevant);
                }
            }
        }

        Console.WriteLine();
        foreach ((string name, (int r, int i)) in totals)
        {
            double recall = (double)r / (Relevant * seeds);
            double falseKept = (double)i / ((Inputs - Relevant) * seeds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: relevant inputs kept {recall:P1}, irrelevant inputs kept {falseKept:P1} (over {seeds} seeds)"));
            if (name == GroupName + ", relaxed CV")
            {
                bool pass = recall >= 0.95 && falseKept <= 0.10;
                ok &= pass;
                Console.WriteLine($"  claim (>= 95 % of the relevant inputs, <= 10 % of the irrelevant ones): {(pass ? "holds" : "FAILS")}");
            }
            else if (name == "proximal L1")
            {
                bool pass = falseKept > 0.5;
                ok &= pass;
                Console.WriteLine($"  claim (element-wise L1 at its CV lambda keeps most irrelevant inputs): {(pass ? "holds" : "FAILS")}");
            }
        }

        SelectionPlot(plotGroup!, plotL1!, Path.Combine(outputDir, "selection-synthetic.png"), $"Synthetic ({Relevant} relevant of {Inputs} inputs), seed 1: 5-fold CV path");
        ok &= Wine(threads, outputDir);
        return ok;
    }

    /// <summary>
    /// Relaxed cross-validation (in the spirit of glmnet's <c>relax = TRUE</c>, for groups): on each fold, the path is
    /// trained on the fold's training rows; at each lambda a fresh network (same shape, same initializer) is trained without
    /// penalty on just the inputs that lambda selected, and scored on the held-out rows. Selection is then judged by how well
    /// the selected inputs predict, not by how well the shrunken weights do. Returns, per lambda, the mean and standard error
    /// over folds of the validation loss and accuracy.
    /// </summary>
    private static (double[] Loss, double[] LossSe, double[] Accuracy) RelaxedCv(
        Dataset data, IReadOnlyList<float> lambdas, Func<float, IRegularizer> create, TrainerOptions trainer, int hidden, int folds, Func<Dataset, Dataset, Dataset>? preprocess)
    {
        var losses = new double[folds, lambdas.Count];
        var accuracies = new double[folds, lambdas.Count];
        for (int f = 0; f < folds; f++)
        {
            int[] fit = [.. Enumerable.Range(0, data.Count).Where(r => r % folds != f)];
            int[] held = [.. Enumerable.Range(0, data.Count).Where(r => r % folds == f)];
            Dataset fitRows = data.Subset(fit);
            Dataset heldRows = data.Subset(held);
            if (preprocess is not null)
            {
                heldRows = preprocess(fitRows, heldRows);
                fitRows = preprocess(fitRows, fitRows);
            }

            DenseNetwork initial = Initial(data.FeatureCount, hidden, data.ClassCount);
            RegularizationPathResult path = new RegularizationPath(new RegularizationPathOptions { Trainer = trainer, CreateRegularizer = create, Lambdas = lambdas }).Run(initial, fitRows);
            for (int k = 0; k < lambdas.Count; k++)
            {
                IReadOnlyList<int> inputs = path.Points[k].Selection.Inputs;
                if (inputs.Count == 0)
                {
                    losses[f, k] = Math.Log(data.ClassCount);
                    accuracies[f, k] = 1.0 / data.ClassCount;
                    continue;
                }

                DenseNetwork refit = Initial(inputs.Count, hidden, data.ClassCount);
                new BackPropTrainer(trainer, Regularizer.None).Train(refit, Columns(inputs, fitRows));
                Dataset validation = Columns(inputs, heldRows);
                losses[f, k] = Metrics.MeanLoss(refit, validation, LossFunction.CrossEntropy);
                accuracies[f, k] = Metrics.Accuracy(refit, validation);
            }
        }

        var loss = new double[lambdas.Count];
        var lossSe = new double[lambdas.Count];
        var accuracy = new double[lambdas.Count];
        for (int k = 0; k < lambdas.Count; k++)
        {
            double[] values = [.. Enumerable.Range(0, folds).Select(f => losses[f, k])];
            loss[k] = values.Average();
            lossSe[k] = Math.Sqrt(values.Sum(v => (v - loss[k]) * (v - loss[k])) / (folds - 1) / folds);
            accuracy[k] = Enumerable.Range(0, folds).Average(f => accuracies[f, k]);
        }

        return (loss, lossSe, accuracy);
    }

    /// <summary>The synthetic run with relaxed CV: lambda by the 1se rule on the relaxed validation loss, then the path's selection at it on all rows, refit, test accuracy.</summary>
    private static (float Lambda, NetworkSelection Selection, double TestAccuracy) RelaxedChoice(Dataset train, Dataset test, Func<float, IRegularizer> create)
    {
        var probe = new RegularizationPath(new RegularizationPathOptions { Trainer = Trainer, CreateRegularizer = create, LambdaCount = 10, LambdaMinRatio = 1e-2f });
        IReadOnlyList<float> lambdas = probe.LambdaSequence(probe.FindLambdaMax(Initial(Inputs, 16, 2), train));
        (double[] mean, double[] se, _) = RelaxedCv(train, lambdas, create, Trainer, 16, 5, null);
        int best = Array.IndexOf(mean, mean.Min());
        int chosen = Enumerable.Range(0, lambdas.Count).First(k => mean[k] <= mean[best] + se[best]);
        DenseNetwork final = Initial(Inputs, 16, 2);
        new BackPropTrainer(Trainer, create(lambdas[chosen])).Train(final, train);
        NetworkSelection selection = NetworkPruner.Analyze(final);
        if (selection.Inputs.Count == 0)
        {
            return (lambdas[chosen], selection, 0.5);
        }

        DenseNetwork refit = Initial(selection.Inputs.Count, 16, 2);
        new BackPropTrainer(Trainer, Regularizer.None).Train(refit, Columns(selection.Inputs, train));
        return (lambdas[chosen], selection, Metrics.Accuracy(refit, Columns(selection.Inputs, test)));
    }

    /// <summary>The rows of <paramref name="data"/> restricted to the columns <paramref name="inputs"/>.</summary>
    private static Dataset Columns(IReadOnlyList<int> inputs, Dataset data)
    {
        var kept = new float[data.Count * inputs.Count];
        for (int r = 0; r < data.Count; r++)
        {
            ReadOnlySpan<float> row = data.GetFeatures(r);
            for (int c = 0; c < inputs.Count; c++)
            {
                kept[(r * inputs.Count) + c] = row[inputs[c]];
            }
        }

        return Dataset.FromLabels(kept, inputs.Count, data.Labels, data.ClassCount);
    }

    /// <summary>
    /// Wine: the group lasso path (inputs and units) by 5-fold CV repeated twice, and the same lambdas by relaxed 5-fold CV
    /// (a fresh network on just the selected inputs); lambda 0 is the unregularized network on the same folds.
    /// </summary>
    private static bool Wine(int threads, string outputDir)
    {
        Dataset wine = Problem.Load("wine.csv");
        var trainer = new TrainerOptions { Epochs = 100, BatchSize = 16, Seed = 0, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam(0.01f) };
        float[] lambdas = [0.3f, 0.15f, 0.1f, 0.09f, 0.08f, 0.07f, 0.06f, 0.05f, 0.03f, 0.01f, 0f];
        var path = new RegularizationPathOptions { Trainer = trainer, CreateRegularizer = Regularizer.GroupLasso, Lambdas = lambdas };
        var options = new CrossValidationOptions { Folds = 5, Repeats = 2, Seed = 0, Stratified = true, Preprocessing = new Standardizer(), Rule = LambdaRule.Minimum, Refit = false, MaxDegreeOfParallelism = threads };
        CrossValidationResult result = new CrossValidation(path, options).Run(Initial(13, 8, 3), wine);
        (_, _, double[] relaxed) = RelaxedCv(wine, lambdas, Regularizer.GroupLasso, trainer, 8, 5, static (fit, rows) => new Standardizer().Fit(fit).Transform(rows));
        double none = relaxed[^1];
        string[] names = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "wine.csv")).FeatureNames.ToArray();

        Console.WriteLine();
        Console.WriteLine("Wine (178 rows, 13 inputs), 13-8-3 tanh/softmax, Adam(0.01), batch 16, 100 epochs, standardized per fold; group lasso over");
        Console.WriteLine("inputs and hidden units. CV accuracy: the penalized networks, 5-fold CV repeated twice; relaxed: a fresh 8-unit network on the");
        Console.WriteLine("inputs each fold's path selected, trained without penalty, 5 folds. Lambda 0 is the unregularized network.");
        Console.WriteLine();
        Console.WriteLine("| lambda | inputs used (all rows) | CV accuracy | relaxed CV accuracy | inputs |");
        Console.WriteLine("|---:|---:|---:|---:|---|");
        int found = -1;
        for (int k = 0; k < result.Scores.Count; k++)
        {
            LambdaScore s = result.Scores[k];
            NetworkSelection selection = result.Path.Points[k].Selection;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Lambda:G3} | {s.SelectedInputs} of 13 | {s.MeanAccuracy:F4} | {relaxed[k]:F4} | {string.Join(", ", selection.Inputs.Select(i => names[i]))} |"));
            if (found < 0 && s.SelectedInputs is > 0 and <= 6 && relaxed[k] >= none - 0.01)
            {
                found = k;
            }
        }

        Console.WriteLine();
        bool pass = found >= 0;
        Console.WriteLine(pass
            ? string.Create(CultureInfo.InvariantCulture, $"claim (relaxed CV accuracy within 1 point of the unregularized {none:F4} with at most 6 of 13 inputs): holds at lambda {lambdas[found]:G3}: {result.Scores[found].SelectedInputs} inputs, {relaxed[found]:F4}")
            : string.Create(CultureInfo.InvariantCulture, $"claim (relaxed CV accuracy within 1 point of the unregularized {none:F4} with at most 6 of 13 inputs): FAILS"));
        SelectionPlot(result, null, Path.Combine(outputDir, "selection-wine.png"), "Wine, 13-8-3 network, group lasso (inputs + units): 5-fold CV x 2");
        return pass;
    }

    /// <summary>glmnet's picture: inputs used against log10(lambda) (left axis) and CV accuracy (right axis), for one or two regularizers.</summary>
    private static void SelectionPlot(CrossValidationResult group, CrossValidationResult? l1, string path, string title)
    {
        var plot = new Plot();
        var right = plot.Axes.AddRightAxis();
        right.LabelText = "CV accuracy";
        foreach ((CrossValidationResult? result, string name) in new (CrossValidationResult?, string)[] { (group, "group lasso"), (l1, "proximal L1") })
        {
            if (result is null)
            {
                continue;
            }

            LambdaScore[] scores = [.. result.Scores.Where(s => s.Lambda > 0)];
            double[] x = [.. scores.Select(s => Math.Log10(s.Lambda))];
            var inputs = plot.Add.Scatter(x, scores.Select(s => (double)s.SelectedInputs).ToArray());
            inputs.LegendText = $"{name}: inputs used";
            var accuracy = plot.Add.Scatter(x, scores.Select(s => s.MeanAccuracy).ToArray());
            accuracy.Axes.YAxis = right;
            accuracy.LinePattern = LinePattern.Dashed;
            accuracy.Color = inputs.Color;
            accuracy.LegendText = $"{name}: CV accuracy";
            if (result.LambdaChosen > 0f)
            {
                var chosen = plot.Add.VerticalLine(Math.Log10(result.LambdaChosen));
                chosen.Color = inputs.Color;
                chosen.LinePattern = LinePattern.Dotted;
            }
        }

        plot.Title(title);
        plot.XLabel("log10(lambda)");
        plot.YLabel("inputs used");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 560);
    }
}
