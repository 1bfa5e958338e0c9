using L1Net.Data;
using L1Net.Seed;
using L1Net.Training;

namespace L1Net.Study;

/// <summary>Runs a <see cref="StudyDesign"/>, in parallel over runs; the results do not depend on the scheduling.</summary>
public static class StudyRunner
{
    /// <summary>Runs every arm on every data set.</summary>
    /// <param name="design">What to run.</param>
    /// <param name="maxDegreeOfParallelism">Runs at once; default the number of processors.</param>
    /// <param name="progress">Receives a line of text every time a data set is finished, or null.</param>
    /// <returns>The outcomes.</returns>
    public static StudyResults Run(StudyDesign design, int maxDegreeOfParallelism = -1, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        IReadOnlyList<StudyArm> arms = design.Arms;
        int seeds = design.SeedCount;
        var data = new (Dataset Train, Dataset Test)[seeds];
        for (int s = 0; s < seeds; s++)
        {
            int generator = StudyDesign.GeneratorSeed(s);
            data[s] = (
                SeedData.MakeRows(generator, StudyDesign.TrainSeed(s), SeedData.ArticleTrainRowCount).ToDataset(),
                SeedData.MakeRows(generator, StudyDesign.TestSeed(s), SeedData.ArticleTestRowCount).ToDataset());
        }

        var cells = new StudyCell[arms.Count, seeds];
        int[] remaining = [.. Enumerable.Repeat(arms.Count, seeds)];
        int finished = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, arms.Count * seeds, options, index =>
        {
            // Seed-major order, so that data sets finish one after another.
            int s = index / arms.Count;
            int a = index % arms.Count;
            StudyArm arm = arms[a];
            var run = new SeedRun(arm.Label, arm.Rule, arm.CreateRegularizer(), InitSeed: 0, Epochs: design.Epochs);
            SeedRunResult r = SeedRunner.Run(run, data[s].Train, data[s].Test, reportErrors: false);
            cells[a, s] = new StudyCell(r.TrainAccuracy, r.TestAccuracy, r.Weights.L1Norm, r.Weights.BelowThreshold, r.Weights.ExactZeros, r.StopReason == TrainingStopReason.Completed);
            if (Interlocked.Decrement(ref remaining[s]) == 0 && progress is not null)
            {
                int done = Interlocked.Increment(ref finished);
                lock (progress)
                {
                    progress.WriteLine($"  data sets finished: {done}/{seeds}");
                }
            }
        });

        return new StudyResults(design, arms, cells);
    }
}
