using L1Net.Study;

namespace L1Net.Seed.Tests.Study;

public class StudyRunnerTests
{
    [Fact]
    public void Results_do_not_depend_on_parallelism()
    {
        // Short runs (5 epochs) keep the test quick; the scheduling question is the same as for 500.
        var design = new StudyDesign(2, [0.003f], Epochs: 5);
        StudyResults serial = StudyRunner.Run(design, maxDegreeOfParallelism: 1);
        StudyResults parallel = StudyRunner.Run(design, maxDegreeOfParallelism: 4);
        Assert.Equal(serial.Cells.Cast<StudyCell>(), parallel.Cells.Cast<StudyCell>());
        Assert.All(serial.Cells.Cast<StudyCell>(), c => Assert.True(c.Completed));

        // The arms really differ: the published "L1" grows the weights, L1Net's L1 shrinks them.
        int Index(StudyPenalty p) => serial.Arms.ToList().FindIndex(a => a.Rule == L1Net.Seed.GradientRule.Listing && a.Penalty == p);
        for (int s = 0; s < 2; s++)
        {
            double none = serial.Cells[Index(StudyPenalty.None), s].WeightL1;
            Assert.True(serial.Cells[Index(StudyPenalty.PublishedL1), s].WeightL1 > none);
            Assert.True(serial.Cells[Index(StudyPenalty.L1), s].WeightL1 < none);
        }
    }

    [Fact]
    public void Plot_writes_a_png()
    {
        var design = new StudyDesign(2, [0.001f, 0.01f]);
        IReadOnlyList<StudyArm> arms = design.Arms;
        var cells = new StudyCell[arms.Count, 2];
        for (int a = 0; a < arms.Count; a++)
        {
            for (int s = 0; s < 2; s++)
            {
                cells[a, s] = new StudyCell(0.9, 0.5 + (0.01 * a), 1.0 + a, 0, 0, Completed: true);
            }
        }

        string path = Path.Combine(Path.GetTempPath(), $"l1net-study-{Guid.NewGuid():N}.png");
        try
        {
            StudyPlot.Save(new StudyResults(design, arms, cells), path);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 1000);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
