using L1Net.Data;

namespace L1Net.Cli;

/// <summary>A stratified train/test split: each class keeps its share in both parts.</summary>
internal static class DataSplit
{
    /// <summary>Splits <paramref name="data"/>, holding out about <paramref name="testFraction"/> of every class, shuffled with <paramref name="seed"/>.</summary>
    public static (Dataset Train, Dataset Test) Stratified(Dataset data, double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        for (int k = 0; k < data.ClassCount; k++)
        {
            var rows = new List<int>();
            for (int r = 0; r < data.Count; r++)
            {
                if (data.Labels[r] == k)
                {
                    rows.Add(r);
                }
            }

            int[] shuffled = [.. rows];
            random.Shuffle(shuffled);
            int held = (int)Math.Round(testFraction * shuffled.Length, MidpointRounding.AwayFromZero);
            if (held == shuffled.Length && held > 0)
            {
                held--; // every class present keeps a training row
            }

            test.AddRange(shuffled[..held]);
            train.AddRange(shuffled[held..]);
        }

        if (test.Count == 0)
        {
            throw new CliException(FormattableString.Invariant($"--test-split {testFraction} holds out no row of {data.Count}; use a larger fraction, --test-split 0 to train on everything, or --test FILE."), ExitCodes.UsageError);
        }

        train.Sort();
        test.Sort();
        return (data.Subset(train.ToArray()), data.Subset(test.ToArray()));
    }
}
