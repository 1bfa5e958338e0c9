using System.Globalization;
using System.Text;
using L1Net.Data;

namespace L1Net.Sparsity;

/// <summary>
/// A seeded synthetic classification problem with known irrelevant inputs: <c>classes</c> Gaussian clusters in the first
/// <c>informative</c> inputs, and <c>noise</c> further inputs of pure N(0, 1) noise that carry no information about the
/// class. The same seed gives the same problem (cluster centres); <see cref="Sample"/> draws rows from it.
/// </summary>
internal sealed class SyntheticData
{
    private readonly double[,] _centres;

    /// <summary>Makes a problem.</summary>
    /// <param name="classes">Number of classes (clusters).</param>
    /// <param name="informative">Inputs that depend on the class: the class centre (each coordinate <c>N(0, separation^2)</c>) plus <c>N(0, 1)</c> noise.</param>
    /// <param name="noise">Irrelevant inputs, <c>N(0, 1)</c> whatever the class; they come after the informative ones.</param>
    /// <param name="separation">Spread of the class centres; larger is easier.</param>
    /// <param name="seed">Seed of the centres.</param>
    public SyntheticData(int classes, int informative, int noise, double separation, ulong seed)
    {
        Classes = classes;
        Informative = informative;
        Noise = noise;
        var random = new SplitMix(seed);
        _centres = new double[classes, informative];
        for (int c = 0; c < classes; c++)
        {
            for (int j = 0; j < informative; j++)
            {
                _centres[c, j] = separation * random.NextGaussian();
            }
        }
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Number of informative inputs (the first ones).</summary>
    public int Informative { get; }

    /// <summary>Number of irrelevant inputs (the last ones).</summary>
    public int Noise { get; }

    /// <summary>Number of inputs.</summary>
    public int Features => Informative + Noise;

    /// <summary>Seed of the centres of the second 10-class, 60-input problem: held out from every choice of the acceptance protocol.</summary>
    public const ulong SecondSeed = 2027;

    /// <summary>The 10-class, 60-input problem of docs/sparsity.md: 30 informative inputs, 30 of noise.</summary>
    /// <param name="seed">Seed of the class centres: 2026 is the problem of docs/sparsity.md, <see cref="SecondSeed"/> a second one of the same kind.</param>
    public static SyntheticData TenClass60(ulong seed = 2026) => new(classes: 10, informative: 30, noise: 30, separation: 0.65, seed: seed);

    /// <summary>A problem shaped like scikit-learn's digits (64 inputs, 10 classes): 32 informative inputs, 32 of noise.</summary>
    public static SyntheticData DigitsShaped() => new(classes: 10, informative: 32, noise: 32, separation: 0.65, seed: 64);

    /// <summary>Draws <paramref name="rows"/> rows, classes in turn (so every class has <c>rows / classes</c> rows, give or take one), rows shuffled.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="seed">Seed of the draw; use different seeds for training and test rows.</param>
    public Dataset Sample(int rows, ulong seed)
    {
        var random = new SplitMix(seed);
        var features = new float[rows, Features];
        var labels = new int[rows];
        int[] order = Enumerable.Range(0, rows).ToArray();
        for (int i = rows - 1; i > 0; i--)
        {
            int j = (int)random.NextBelow((ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        for (int r = 0; r < rows; r++)
        {
            int row = order[r];
            int c = r % Classes;
            labels[row] = c;
            for (int j = 0; j < Features; j++)
            {
                double centre = j < Informative ? _centres[c, j] : 0.0;
                features[row, j] = (float)(centre + random.NextGaussian());
            }
        }

        return Dataset.FromLabels(features, labels, Classes);
    }

    /// <summary>Writes <paramref name="data"/> as CSV (header <c>x0..x(n-1),label</c>, invariant culture) to <paramref name="path"/>.</summary>
    public static void WriteCsv(Dataset data, string path)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Enumerable.Range(0, data.FeatureCount).Select(j => $"x{j}")).Append(",label\n");
        for (int r = 0; r < data.Count; r++)
        {
            foreach (float x in data.GetFeatures(r))
            {
                text.Append(x.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(data.GetLabel(r).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014) with Box-Muller normals: integer arithmetic, then Math.Log, Math.Sqrt and Math.Cos in double precision, rounded to float at the end.</summary>
    internal sealed class SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public ulong NextBelow(ulong n) => Next() % n;

        /// <summary>Uniform in (0, 1): 53 random bits, never 0.</summary>
        public double NextUniform() => ((Next() >> 11) + 0.5) / (1UL << 53);

        public double NextGaussian() =>
            Math.Sqrt(-2.0 * Math.Log(NextUniform())) * Math.Cos(2.0 * Math.PI * NextUniform());
    }
}
