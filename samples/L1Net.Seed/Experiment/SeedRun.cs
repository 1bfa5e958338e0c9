using L1Net.Regularization;

namespace L1Net.Seed;

/// <summary>
/// One training run of the seed experiment: the listing's 10-8-4 tanh/softmax network, initial parameters drawn from a
/// fresh <c>PyRandom(InitSeed)</c> (the article: 0), the listing's epoch shuffles from the same generator, squared
/// error, per-sample SGD at learning rate 0.01 for 500 epochs (unless <see cref="Epochs"/> says otherwise); what varies is the gradient rule and the regularizer.
/// </summary>
/// <param name="Label">A short description for reports.</param>
/// <param name="Rule">The output error rule.</param>
/// <param name="Regularizer">The regularizer of every layer (biases are not regularized).</param>
/// <param name="InitSeed">The seed of the <see cref="PyRandom"/> that draws the initial parameters and then the shuffles.</param>
/// <param name="Epochs">The number of epochs (the listing: <see cref="ListingEpochs"/>).</param>
public sealed record SeedRun(string Label, GradientRule Rule, IRegularizer Regularizer, uint InitSeed = 0, int Epochs = SeedRun.ListingEpochs)
{
    /// <summary>The listing's number of epochs: 500.</summary>
    public const int ListingEpochs = 500;

    /// <summary>The listing's learning rate: 0.01.</summary>
    public const float LearningRate = 0.01f;

    /// <summary>The listing's number of hidden units: 8.</summary>
    public const int HiddenCount = 8;
}
