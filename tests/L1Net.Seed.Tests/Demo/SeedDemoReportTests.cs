using L1Net.Demo;
using Snapshooter;
using Snapshooter.Xunit;

namespace L1Net.Seed.Tests.Demo;

/// <summary>Runs the demo once (it trains eight networks) and shares its report between the tests.</summary>
public sealed class SeedDemoFixture
{
    public SeedDemoFixture()
    {
        var writer = new StringWriter { NewLine = "\n" };
        Results = SeedDemoReport.Write(writer);
        Report = writer.ToString();
    }

    public string Report { get; }

    public IReadOnlyList<SeedRunResult> Results { get; }
}

public class SeedDemoReportTests(SeedDemoFixture demo) : IClassFixture<SeedDemoFixture>
{
    [Fact]
    public void Reproduces_the_four_published_accuracies()
    {
        Assert.Equal("0.9400", demo.Results[0].TrainAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.94, demo.Results[0].TrainAccuracy, 1e-12);
        Assert.Equal(0.55, demo.Results[0].TestAccuracy, 1e-12);
        Assert.Equal(0.945, demo.Results[1].TrainAccuracy, 1e-12);
        Assert.Equal(0.675, demo.Results[1].TestAccuracy, 1e-12);
    }

    [Fact]
    public void Reproduces_the_published_ms_errors_without_L1()
    {
        double[] expected = [0.2181, 0.1659, 0.1436, 0.1242, 0.1085];
        Assert.Equal([100, 200, 300, 400, 500], demo.Results[0].Errors.Select(e => e.Epoch));
        Assert.Equal(expected, demo.Results[0].Errors.Select(e => Math.Round(e.Error, 4)));
    }

    [Fact]
    public void Prints_the_published_lines()
    {
        Assert.Contains("Accuracy on train data no L1 regularization = 0.9400\n", demo.Report, StringComparison.Ordinal);
        Assert.Contains("Accuracy on test data no L1 regularization = 0.5500\n", demo.Report, StringComparison.Ordinal);
        Assert.Contains("Accuracy on train data with L1 regularization = 0.9450\n", demo.Report, StringComparison.Ordinal);
        Assert.Contains("Accuracy on test data with L1 regularization = 0.6750\n", demo.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Published_L1_grows_the_weights_and_L1Net_L1_shrinks_them()
    {
        Assert.True(demo.Results[1].Weights.L1Norm > demo.Results[0].Weights.L1Norm);
        Assert.True(demo.Results[3].Weights.L1Norm < demo.Results[2].Weights.L1Norm);
    }

    [Fact]
    public void Proximal_and_cumulative_L1_reach_exact_zeros_where_subgradient_L1_does_not()
    {
        Assert.StartsWith("L1(", demo.Results[3].Run.Regularizer.Name, StringComparison.Ordinal);
        Assert.StartsWith("ProximalL1(", demo.Results[6].Run.Regularizer.Name, StringComparison.Ordinal);
        Assert.StartsWith("CumulativeL1(", demo.Results[7].Run.Regularizer.Name, StringComparison.Ordinal);
        Assert.Equal(0, demo.Results[3].Weights.ExactZeros);
        Assert.True(demo.Results[6].Weights.ExactZeros > 0, "ProximalL1(0.001) should end with exact zeros");
        Assert.True(demo.Results[7].Weights.ExactZeros > 0, "CumulativeL1(0.001) should end with exact zeros");
        string zeros = demo.Results[6].Weights.ExactZeros.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"ProximalL1(0.001) ends with {zeros} of 112 weights exactly zero", demo.Report.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    /// <summary>
    /// The whole report, to the last printed digit. The per-sample kernels' results depend on their vector width and on
    /// whether multiply-adds are fused, so each kernel configuration has its own snapshot: the unnamed one pins 256-bit
    /// kernels with FMA (x64 AVX2 or AVX-512, the default on such machines); "v128-nofma" pins x64 without AVX
    /// (<c>DOTNET_EnableAVX=0</c>) and "scalar-nofma" no hardware intrinsics (<c>DOTNET_EnableHWIntrinsic=0</c>). The four
    /// published accuracies are checked in every configuration by the tests above.
    /// </summary>
    [Fact]
    public void Whole_report_matches_the_snapshot()
    {
        string configuration = KernelConfiguration();
        if (configuration == "v256-fma")
        {
            Snapshot.Match(demo.Report);
        }
        else
        {
            Snapshot.Match(demo.Report, SnapshotNameExtension.Create(configuration));
        }
    }

    /// <summary>The per-sample kernel configuration, as L1Net chooses it (at most 256 bits; fused where the hardware has FMA).</summary>
    private static string KernelConfiguration()
    {
        string width = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "v256"
            : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? "v128"
            : "scalar";
        bool fused = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
        return width + (fused ? "-fma" : "-nofma");
    }
}
