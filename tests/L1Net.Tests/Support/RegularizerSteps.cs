using System.Numerics.Tensors;

namespace L1Net.Tests;

/// <summary>
/// Test shorthands over the <see cref="IRegularizer"/> contract for a plain vector (<see cref="ParameterShape.Vector"/>):
/// the penalty and gradient without a shape, and one SGD step split as the trainer does it (the smooth gradient and the
/// data step, then the proximal step with the learning rate as the step size).
/// </summary>
internal static class RegularizerSteps
{
    public static ParameterShape ShapeOf(int length) => length == 0 ? default : ParameterShape.Vector(length);

    public static double Penalty(this IRegularizer regularizer, ReadOnlySpan<float> weights) =>
        regularizer.Penalty(weights, ShapeOf(weights.Length));

    /// <summary>The whole smooth gradient: <see cref="IRegularizer.AddGradient"/> plus the declared parts <c>SignCoefficient sign(w)</c> and <c>WeightDecay w</c>.</summary>
    public static void AddGradient(this IRegularizer regularizer, ReadOnlySpan<float> weights, Span<float> gradient)
    {
        regularizer.AddGradient(weights, gradient, ShapeOf(weights.Length));
        if (regularizer.SignCoefficient != 0f)
        {
            L1Net.Kernels.RegularizerKernels.AddL1Subgradient(weights, gradient, regularizer.SignCoefficient);
        }

        TensorPrimitives.MultiplyAdd(weights, regularizer.WeightDecay, gradient, gradient);
    }

    public static IRegularizer Bind(this IRegularizer regularizer, int length) => regularizer.Bind(ParameterShape.Vector(length));

    /// <summary>
    /// The data step of plain SGD with the regularizer's smooth gradient, in the trainer's arithmetic:
    /// <c>w (1 - rate d) - (rate g' + rate l sign(w))</c> with <c>g'</c> the gradient after <see cref="IRegularizer.AddGradient"/>,
    /// <c>d = WeightDecay</c> and <c>l = SignCoefficient</c>.
    /// </summary>
    public static void Update(this IRegularizer regularizer, Span<float> weights, Span<float> gradient, float rate)
    {
        if (regularizer.HasGradient)
        {
            regularizer.AddGradient(weights, gradient, ShapeOf(weights.Length));
        }

        L1Net.Kernels.UpdateKernels.ElasticNet(weights, gradient, rate, regularizer.SignCoefficient, regularizer.WeightDecay);
    }

    /// <summary>The proximal step after an SGD step of size <paramref name="rate"/> (nothing without one).</summary>
    public static void AfterUpdate(this IRegularizer regularizer, Span<float> weights, float rate)
    {
        if (regularizer.HasProximalStep)
        {
            regularizer.ApplyProximal(weights, [rate], ShapeOf(weights.Length));
        }
    }

    /// <summary>One whole SGD step through the contract: <see cref="Update"/>, then <see cref="AfterUpdate"/>.</summary>
    public static void SgdStep(this IRegularizer regularizer, Span<float> weights, Span<float> gradient, float rate)
    {
        regularizer.Update(weights, gradient, rate);
        regularizer.AfterUpdate(weights, rate);
    }
}
