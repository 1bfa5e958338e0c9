using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Diagnostics;

public class FeatureScaleWarningTests
{
    private static Dataset Data(float scaleOfSecond)
    {
        var random = new Random(3);
        var features = new float[40, 2];
        var labels = new int[40];
        for (int r = 0; r < 40; r++)
        {
            labels[r] = r % 2;
            features[r, 0] = (float)random.NextDouble();
            features[r, 1] = (float)random.NextDouble() * scaleOfSecond;
        }

        return Dataset.FromLabels(features, labels, 2);
    }

    private static List<LogRecord> Train(Dataset data)
    {
        var logger = new CapturingLogger(LogLevel.Warning);
        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        new BackPropTrainer(new TrainerOptions { Epochs = 1 }, logger: logger).Train(network, data);
        return logger.Records;
    }

    [Fact]
    public void Features_whose_scales_differ_by_orders_of_magnitude_log_event_61_naming_them()
    {
        LogRecord warning = Assert.Single(Train(Data(5000f)), r => r.EventId.Id == 61);
        Assert.Equal("FeatureScalesDiffer", warning.EventId.Name);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(1, warning.Get<int>("WidestFeature"));
        Assert.Equal(0, warning.Get<int>("NarrowestFeature"));
        Assert.InRange(warning.Get<double>("Ratio"), 1000, 10000);
        Assert.Contains("Standardizer", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparable_scales_and_standardized_features_log_nothing()
    {
        Assert.DoesNotContain(Train(Data(20f)), r => r.EventId.Id == 61);
        Dataset raw = Data(5000f);
        Assert.DoesNotContain(Train(new Standardizer().Fit(raw).Transform(raw)), r => r.EventId.Id == 61);
    }

    [Fact]
    public void Every_Train_on_the_same_data_warns_again_from_statistics_computed_once()
    {
        Dataset data = Data(5000f);
        LogRecord first = Assert.Single(Train(data), r => r.EventId.Id == 61);
        double[] kept = data.FeatureDeviations;
        LogRecord second = Assert.Single(Train(data), r => r.EventId.Id == 61);

        Assert.Same(kept, data.FeatureDeviations);
        Assert.Equal(Standardizer.Statistics(data).StandardDeviation, kept);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(first.Get<double>("Ratio"), second.Get<double>("Ratio"));
    }
}
