namespace L1Net.Cli.Tests;

/// <summary>The group regularizers and the inputs line on the command line.</summary>
public sealed class GroupSelectionTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Group_l1_selects_inputs_and_names_them()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "group-l1", "--lambda", "0.2", "--epochs", "100", "--no-progress", "--model", _cli.PathOf("iris.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("network  4-16 tanh-3 softmax, cross-entropy, GroupLasso(Inputs, 0.2)", r.Output, StringComparison.Ordinal);
        Assert.Contains("inputs   2 of 4 inputs used: petal_length_cm, petal_width_cm", r.Output, StringComparison.Ordinal);
        Assert.InRange(TrainCommandTests.Accuracy(r.Output, "test"), 0.9, 1.0);
    }

    [Fact]
    public void Prune_saves_the_compact_model_names_the_kept_features_and_predict_scores_the_full_csv_the_same()
    {
        string full = _cli.PathOf("full.json"), pruned = _cli.PathOf("pruned.json");
        string[] train = ["train", CliRunner.Iris, "--regularizer", "group-l1", "--lambda", "0.2", "--epochs", "100", "--no-progress"];
        CliResult a = _cli.Run([.. train, "--model", full]);
        CliResult b = _cli.Run([.. train, "--model", pruned, "--prune"]);

        Assert.Equal((0, 0), (a.ExitCode, b.ExitCode));
        Assert.DoesNotContain("pruned", a.Output, StringComparison.Ordinal);
        Assert.Matches(@"pruned   2 of 4 inputs kept: petal_length_cm, petal_width_cm; \d+ of \d+ parameters; network 2-\d+ tanh-3 softmax$", b.OutputLines.Single(l => l.StartsWith("pruned", StringComparison.Ordinal)));

        ClassificationModel model = Serialization.ModelSerializer.LoadFromFile(pruned);
        Assert.Equal(["petal_length_cm", "petal_width_cm"], model.InputFeatureNames);
        Assert.Equal(4, model.FeatureCount);
        Assert.Equal(2, model.Network.InputSize);

        // predict reads the full CSV (all four feature columns) and scores it as the unpruned model does.
        CliResult p = _cli.Run("predict", full, CliRunner.Iris);
        CliResult q = _cli.Run("predict", pruned, CliRunner.Iris);
        Assert.Equal((0, 0), (p.ExitCode, q.ExitCode));
        Assert.Equal(151, q.OutputLines.Length);
        Assert.Equal(p.Error, q.Error);
        for (int r = 1; r < p.OutputLines.Length; r++)
        {
            string[] x = p.OutputLines[r].Split(','), y = q.OutputLines[r].Split(',');
            Assert.Equal(x[0], y[0]);
            for (int c = 1; c < x.Length; c++)
            {
                Assert.Equal(double.Parse(x[c], System.Globalization.CultureInfo.InvariantCulture), double.Parse(y[c], System.Globalization.CultureInfo.InvariantCulture), 1e-5);
            }
        }
    }

    [Fact]
    public void Unit_l1_reports_the_hidden_units_used()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "unit-l1", "--lambda", "0.1", "--epochs", "100", "--no-progress", "--model", _cli.PathOf("u.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("GroupLasso(Units, 0.1)", r.Output, StringComparison.Ordinal);
        Assert.Matches(@"units    \d+ of 16 hidden units used", r.Output);
    }

    [Fact]
    public void Sparse_group_l1_takes_the_l1_ratio()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "sparse-group-l1", "--l1-ratio", "0.3", "--lambda", "0.1", "--epochs", "20", "--no-progress", "--model", _cli.PathOf("s.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("SparseGroupLasso(Inputs, 0.1, l1Ratio=0.3)", r.Output, StringComparison.Ordinal);
        Assert.Matches(@"inputs   \d of 4 inputs used", r.Output);
    }

    [Fact]
    public void Cv_relax_picks_lambda_by_the_unpenalized_refits_and_saves_the_refit_on_the_selected_inputs()
    {
        string path = _cli.PathOf("relaxed.json");
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "group-l1", "--lambda", "cv", "--cv-relax", "--cv-lambdas", "0.5,0.2,0.05,0.01",
            "--folds", "3", "--epochs", "60", "--no-progress", "--model", path);

        Assert.Equal(0, r.ExitCode);
        string chosen = r.OutputLines.Single(l => l.StartsWith("chosen", StringComparison.Ordinal));
        Assert.Matches(@"by the 1se rule on the relaxed CV loss .*; the model is the unpenalized refit on the \d inputs selected at it", chosen);
        Assert.Contains("training done by the cross-validation's relaxed refit", r.Output, StringComparison.Ordinal);
        string inputs = r.OutputLines.Single(l => l.StartsWith("inputs", StringComparison.Ordinal));
        int kept = int.Parse(inputs.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(Inv($"unpenalized refit on the {kept} inputs"), chosen, StringComparison.Ordinal);
        Assert.InRange(TrainCommandTests.Accuracy(r.Output, "test"), 0.85, 1.0);

        CliResult bad = _cli.Run("train", CliRunner.Iris, "--regularizer", "group-l1", "--lambda", "0.1", "--cv-relax", "--no-progress", "--model", _cli.PathOf("x.json"));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--cv-relax needs --lambda cv.", bad.Error, StringComparison.Ordinal);
    }

    private static readonly string[] BudgetRun = ["--regularizer", "group-l1", "--lambda", "cv", "--cv-relax", "--cv-rule", "min", "--cv-lambdas", "0.5,0.2,0.05,0.01", "--folds", "3", "--epochs", "60", "--no-progress"];

    [Fact]
    public void Max_inputs_keeps_the_cv_choice_and_the_saved_model_within_the_budget()
    {
        CliResult free = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--model", _cli.PathOf("free.json")]);
        CliResult two = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--max-inputs", "2", "--model", _cli.PathOf("two.json")]);
        CliResult three = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--max-inputs", "3", "--model", _cli.PathOf("three.json")]);

        Assert.True(free.ExitCode == 0, free.Error);
        Assert.True(two.ExitCode == 0, two.Error);
        Assert.True(three.ExitCode == 0, three.Error);
        static int Kept(CliResult r) => int.Parse(r.OutputLines.Single(l => l.StartsWith("inputs", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        static string Chosen(CliResult r) => r.OutputLines.Single(l => l.StartsWith("chosen", StringComparison.Ordinal));

        // Without a budget the relaxed min pick keeps 3 inputs; a budget of 2 binds and keeps the two petal inputs; a budget
        // of 3 does not bind: the same lambda and the same model.
        Assert.Equal(3, Kept(free));
        Assert.Contains("inputs   2 of 4 inputs used: petal_length_cm, petal_width_cm", two.Output, StringComparison.Ordinal);
        Assert.Contains("on the relaxed CV loss among the lambdas using at most 2 inputs (", Chosen(two), StringComparison.Ordinal);
        Assert.Contains("(budget: at most 2, --max-inputs)", two.Output, StringComparison.Ordinal);
        Assert.Equal(2, L1Net.Serialization.ModelSerializer.LoadFromFile(_cli.PathOf("two.json")).Prune().InputFeatures.Count);
        Assert.Equal(Chosen(free).Replace("relaxed CV loss (", "relaxed CV loss among the lambdas using at most 3 inputs (", StringComparison.Ordinal), Chosen(three));
        Assert.Equal(File.ReadAllText(_cli.PathOf("free.json")).Length, File.ReadAllText(_cli.PathOf("three.json")).Length);
    }

    [Theory]
    [InlineData("0", "--max-inputs must be at least 1, not 0.")]
    [InlineData("-3", "--max-inputs must be at least 1, not -3.")]
    [InlineData("2.5", "--max-inputs must be a whole number, not '2.5'.")]
    [InlineData("1,5", "--max-inputs must be a whole number, not '1,5' (numbers use '.' as the decimal point).")]
    public void Max_inputs_refuses_bad_values(string value, string message)
    {
        CliResult r = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--max-inputs", value, "--model", _cli.PathOf("bad.json")]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("bad.json")));

        CliResult l2 = _cli.Run("train", CliRunner.Iris, "--regularizer", "l2", "--lambda", "cv", "--cv-lambdas", "0.1,0.01", "--max-inputs", "2", "--folds", "3", "--epochs", "5", "--no-progress", "--model", _cli.PathOf("l2.json"));
        Assert.NotEqual(0, l2.ExitCode);
        Assert.Contains("--lambda cv failed: No lambda's model uses at most 2 inputs (--max-inputs 2); the fewest any lambda's model uses is 4. Add larger lambdas (--cv-lambdas), use a regularizer that removes inputs (group-l1, l1), or raise --max-inputs.", l2.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxInputs", l2.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("l2.json")));

        CliResult fixedLambda = _cli.Run("train", CliRunner.Iris, "--regularizer", "group-l1", "--lambda", "0.1", "--max-inputs", "2", "--no-progress", "--model", _cli.PathOf("x.json"));
        Assert.NotEqual(0, fixedLambda.ExitCode);
        Assert.Contains("--max-inputs needs --lambda cv.", fixedLambda.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_refinement_inserts_lambdas_where_the_path_jumps_over_max_inputs_and_marks_them()
    {
        // On these rows the grid jumps from 0 inputs (0.5) to 2 (0.1): a budget of 1 is bisected into that gap.
        string[] run = [.. BudgetRun.Select(a => a == "0.5,0.2,0.05,0.01" ? "0.5,0.1,0.01" : a)];
        CliResult refined = _cli.Run(["train", CliRunner.Iris, .. run, "--max-inputs", "1", "--model", _cli.PathOf("refined.json")]);
        CliResult two = _cli.Run(["train", CliRunner.Iris, .. run, "--max-inputs", "1", "--budget-refinement", "2", "--model", _cli.PathOf("two.json")]);
        CliResult off = _cli.Run(["train", CliRunner.Iris, .. run, "--max-inputs", "1", "--budget-refinement", "0", "--model", _cli.PathOf("off.json")]);

        Assert.True(refined.ExitCode == 0, refined.Error);

        // With 2 rounds (0.224: 2 inputs, 0.334: none) or none, the only lambdas within the budget keep no input, and the
        // model learns nothing: the warning's exit code.
        Assert.All([two, off], r => Assert.Contains("at chance level", r.Error, StringComparison.Ordinal));
        Assert.All([two, off], r => Assert.NotEqual(0, r.ExitCode));
        static string[] TableLines(CliResult r) => [.. r.OutputLines.Where(l => l.StartsWith("│", StringComparison.Ordinal))];

        // By default (6 rounds) the grid gains 6 lambdas, the last of them one whose model uses exactly the budget; each
        // inserted row is marked in the pick column, and the model keeps that one input.
        Assert.Contains("9 lambdas from 0.5 to 0.01 (--cv-lambdas), 6 of them inserted where the path jumps over --max-inputs (--budget-refinement)", refined.Output, StringComparison.Ordinal);
        Assert.Equal(6, TableLines(refined).Count(l => l.Contains("inserted", StringComparison.Ordinal)));
        Assert.Contains(TableLines(refined), l => l.TrimEnd().EndsWith("1/4 │", StringComparison.Ordinal));
        Assert.Contains("inputs   1 of 4 inputs used: petal_length_cm", refined.Output, StringComparison.Ordinal);

        // The rounds bound the inserted lambdas; 0 leaves the grid as given.
        Assert.Contains("5 lambdas from 0.5 to 0.01 (--cv-lambdas), 2 of them inserted", two.Output, StringComparison.Ordinal);
        Assert.Contains("3 lambdas from 0.5 to 0.01 (--cv-lambdas); ", off.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("inserted", off.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1", "--budget-refinement must be at least 0 (0: off) and at most 30, not -1.")]
    [InlineData("31", "--budget-refinement must be at least 0 (0: off) and at most 30, not 31.")]
    [InlineData("1.5", "--budget-refinement must be a whole number, not '1.5'.")]
    public void Budget_refinement_refuses_bad_values_and_needs_max_inputs(string value, string message)
    {
        CliResult r = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--max-inputs", "1", "--budget-refinement", value, "--model", _cli.PathOf("bad.json")]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("bad.json")));

        CliResult alone = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--budget-refinement", "3", "--model", _cli.PathOf("alone.json")]);
        Assert.NotEqual(0, alone.ExitCode);
        Assert.Contains("--budget-refinement needs --max-inputs.", alone.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void Max_inputs_means_and_prints_the_same_under_every_culture(string culture)
    {
        CliResult reference = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--max-inputs", "2", "--model", _cli.PathOf("invariant.json")]);
        CliResult r;
        using (new CultureScope(culture))
        {
            r = _cli.Run(["train", CliRunner.Iris, .. BudgetRun, "--max-inputs", "2", "--model", _cli.PathOf("local.json")]);
        }

        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode} under {culture}: {r.Error}");
        Assert.Equal(reference.Output.Replace("invariant.", "local.", StringComparison.Ordinal), r.Output);
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
