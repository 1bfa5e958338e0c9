using L1Net.Regularization;
using L1Net.Seed;

namespace L1Net.Study;

/// <summary>The regularizers the study compares.</summary>
public enum StudyPenalty
{
    /// <summary>No regularization: the baseline of its gradient rule.</summary>
    None = 0,

    /// <summary>The article's "L1" with its sign error (<see cref="PublishedL1Regularizer"/>): pushes weights away from zero.</summary>
    PublishedL1 = 1,

    /// <summary>L1Net's L1 (subgradient): <c>lambda * sum |w|</c>.</summary>
    L1 = 2,

    /// <summary>L1Net's L2: <c>lambda / 2 * sum w^2</c>.</summary>
    L2 = 3,
}

/// <summary>One arm of the study: a gradient rule, a penalty and its strength, run on every data seed.</summary>
/// <param name="Rule">The output error rule (the listing's diagonal softmax, or L1Net's true gradient).</param>
/// <param name="Penalty">The regularizer.</param>
/// <param name="Lambda">Its strength (0 for <see cref="StudyPenalty.None"/>).</param>
public sealed record StudyArm(GradientRule Rule, StudyPenalty Penalty, float Lambda)
{
    /// <summary>A short label, for example <c>listing / published L1</c>.</summary>
    public string Label => $"{(Rule == GradientRule.Listing ? "listing" : "L1Net")} / {Penalty switch
    {
        StudyPenalty.None => "none",
        StudyPenalty.PublishedL1 => "published \"L1\"",
        StudyPenalty.L1 => "L1",
        _ => "L2",
    }}";

    /// <summary>Makes the regularizer of this arm.</summary>
    /// <returns>A new regularizer.</returns>
    public IRegularizer CreateRegularizer() => Penalty switch
    {
        StudyPenalty.None => Regularizer.None,
        StudyPenalty.PublishedL1 => new PublishedL1Regularizer(Lambda),
        StudyPenalty.L1 => Regularizer.L1(Lambda),
        _ => Regularizer.L2(Lambda),
    };
}
