using L1Net.Seed;
using L1Net.Study;

namespace L1Net.Seed.Tests.Study;

public class StudyDesignTests
{
    [Fact]
    public void Arms_cover_both_rules_every_penalty_and_every_lambda()
    {
        var design = new StudyDesign(30, [0.0001f, 0.001f, 0.01f]);
        IReadOnlyList<StudyArm> arms = design.Arms;

        // Listing: none + (published L1, L1, L2) x 3; L1Net: none + (L1, L2) x 3.
        Assert.Equal(1 + 9 + 1 + 6, arms.Count);
        Assert.Equal(arms.Count, arms.Distinct().Count());
        Assert.Single(arms, a => a.Rule == GradientRule.Listing && a.Penalty == StudyPenalty.None);
        Assert.Single(arms, a => a.Rule == GradientRule.True && a.Penalty == StudyPenalty.None);
        Assert.DoesNotContain(arms, a => a.Rule == GradientRule.True && a.Penalty == StudyPenalty.PublishedL1);
    }

    [Fact]
    public void Every_data_set_has_new_generator_and_row_seeds_distinct_from_the_article()
    {
        int[] all = [.. Enumerable.Range(0, 30).SelectMany(i => new[] { StudyDesign.GeneratorSeed(i), StudyDesign.TrainSeed(i), StudyDesign.TestSeed(i) })];
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.DoesNotContain(SeedData.ArticleGeneratorSeed, all);
        Assert.DoesNotContain(SeedData.ArticleTrainSeed, all);
        Assert.DoesNotContain(SeedData.ArticleTestSeed, all);
    }

    [Fact]
    public void Arm_regularizers_are_the_named_ones()
    {
        Assert.IsType<PublishedL1Regularizer>(new StudyArm(GradientRule.Listing, StudyPenalty.PublishedL1, 0.001f).CreateRegularizer());
        Assert.Equal(Regularizer.L1(0.001f).Name, new StudyArm(GradientRule.True, StudyPenalty.L1, 0.001f).CreateRegularizer().Name);
        Assert.Equal(Regularizer.L2(0.001f).Name, new StudyArm(GradientRule.True, StudyPenalty.L2, 0.001f).CreateRegularizer().Name);
        Assert.Same(Regularizer.None, new StudyArm(GradientRule.True, StudyPenalty.None, 0f).CreateRegularizer());
    }
}
