using L1Net.Seed;
using L1Net.Study;

namespace L1Net.Seed.Tests.Study;

public class StudySummaryTests
{
    [Theory]
    [InlineData(0, 0, 1.0)]
    [InlineData(5, 0, 0.0625)]
    [InlineData(0, 5, 0.0625)]
    [InlineData(10, 2, 158.0 / 4096.0)]
    [InlineData(3, 3, 1.0)]
    public void SignTest_is_the_exact_two_sided_binomial_tail(int wins, int losses, double expected) =>
        Assert.Equal(expected, StudySummary.SignTest(wins, losses), 1e-12);

    [Fact]
    public void Summarize_counts_wins_ties_and_losses_against_the_same_rule_none()
    {
        var design = new StudyDesign(3, [0.001f]);
        IReadOnlyList<StudyArm> arms = design.Arms;
        var cells = new StudyCell[arms.Count, 3];
        double[] noneListing = [0.5, 0.6, 0.7];
        double[] noneTrue = [0.9, 0.9, 0.9];
        double[] other = [0.6, 0.6, 0.6];
        for (int a = 0; a < arms.Count; a++)
        {
            for (int s = 0; s < 3; s++)
            {
                double test = arms[a].Penalty == StudyPenalty.None
                    ? (arms[a].Rule == GradientRule.Listing ? noneListing[s] : noneTrue[s])
                    : other[s];
                cells[a, s] = new StudyCell(1.0, test, 10.0 + s, s, 0, Completed: true);
            }
        }

        IReadOnlyList<ArmSummary> summaries = StudySummary.Summarize(new StudyResults(design, arms, cells));
        ArmSummary listingL1 = summaries.Single(s => s.Arm == new StudyArm(GradientRule.Listing, StudyPenalty.L1, 0.001f));
        Assert.Equal((1, 1, 1), (listingL1.Wins, listingL1.Ties, listingL1.Losses));
        ArmSummary trueL2 = summaries.Single(s => s.Arm == new StudyArm(GradientRule.True, StudyPenalty.L2, 0.001f));
        Assert.Equal((0, 0, 3), (trueL2.Wins, trueL2.Ties, trueL2.Losses));

        ArmSummary none = summaries.Single(s => s.Arm == new StudyArm(GradientRule.Listing, StudyPenalty.None, 0f));
        Assert.Equal(0.6, none.TestMean, 1e-12);
        Assert.Equal(0.1, none.TestSd, 1e-12); // sample standard deviation of 0.5, 0.6, 0.7
        Assert.Equal(11.0, none.WeightL1Mean, 1e-12);
        Assert.Equal(1.0, none.NearZeroMean, 1e-12);
    }

    [Fact]
    public void WriteMarkdown_writes_one_row_per_arm()
    {
        var design = new StudyDesign(2, [0.001f, 0.01f]);
        IReadOnlyList<StudyArm> arms = design.Arms;
        var cells = new StudyCell[arms.Count, 2];
        var writer = new StringWriter();
        StudySummary.WriteMarkdown(new StudyResults(design, arms, cells), writer);
        string[] rows = [.. writer.ToString().Split('\n').Where(l => l.StartsWith("| listing", StringComparison.Ordinal) || l.StartsWith("| L1Net", StringComparison.Ordinal))];
        Assert.Equal(arms.Count, rows.Length);
    }
}
