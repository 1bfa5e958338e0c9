using System.Globalization;
using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Diagnostics;

/// <summary>
/// Log messages read the same under every culture. The source generator formats a message of more than six values by
/// string interpolation in the current culture: under de-DE event 1 said "learning rate 0,25" and event 2 "loss 0,563481
/// ... accuracy 1,0000", while the events of six values or fewer were already invariant.
/// </summary>
public sealed class LogCultureTests
{
    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void Training_and_path_events_print_invariant_numbers_and_keep_their_values(string culture)
    {
        string[] invariant = Messages(CultureInfo.InvariantCulture, out _);
        string[] local = Messages(CultureInfo.GetCultureInfo(culture), out List<LogRecord> records);

        Assert.Equal(invariant, local);
        Assert.Contains(local, m => m.Contains("learning rate 0.25, batch size 1", StringComparison.Ordinal));
        Assert.Contains(local, m => m.StartsWith("Epoch 2/2: loss 0.", StringComparison.Ordinal));
        Assert.Contains(local, m => m.Contains("lambda 1/2 = 0.5, cold start: loss ", StringComparison.Ordinal));

        // The structured values stay numbers, and the caller's culture is back.
        Assert.Equal(0.25f, records.First(r => r.EventId.Id == 1).Get<float>("LearningRate"));
        Assert.IsType<double>(records.First(r => r.EventId.Id == 2).Values["Loss"]);
    }

    private static string[] Messages(CultureInfo culture, out List<LogRecord> records)
    {
        var logger = new CapturingLogger(LogLevel.Information);
        using (new CultureScope(culture))
        {
            Dataset data = Dataset.FromLabels(new float[,] { { 0.5f, 1f }, { 1.5f, -1f }, { -0.5f, 0.25f } }, [0, 1, 0], 2);
            DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));
            new BackPropTrainer(new TrainerOptions { Epochs = 2, LearningRate = 0.25f }, Regularizer.L1(0.5f), logger).Train(network, data);
            new RegularizationPath(new RegularizationPathOptions { Trainer = new TrainerOptions { Epochs = 1 }, CreateRegularizer = Regularizer.L1, Lambdas = [0.5f, 0.05f] }, logger)
                .Run(network, data);
            Assert.Equal(culture.Name, CultureInfo.CurrentCulture.Name); // logging gave the caller's culture back
        }

        records = logger.Records;
        return [.. logger.Records.Where(r => r.EventId.Id is not 60).Select(r => r.Message)];
    }
}
