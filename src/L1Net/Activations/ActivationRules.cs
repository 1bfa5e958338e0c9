namespace L1Net.Activations;

/// <summary>Where each <see cref="Activation"/> may be used.</summary>
internal static class ActivationRules
{
    public static bool IsDefined(Activation activation) => activation is >= Activation.Identity and <= Activation.Softmax;

    public static bool AllowedInHidden(Activation activation) =>
        activation is Activation.Identity or Activation.Tanh or Activation.Sigmoid or Activation.ReLU;

    public static bool AllowedInOutput(Activation activation) =>
        activation is Activation.Identity or Activation.Sigmoid or Activation.Softmax;

    /// <summary>Throws when <paramref name="activation"/> cannot be used at this position.</summary>
    public static void Validate(Activation activation, bool isOutput, int units, string paramName)
    {
        if (!IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(paramName, activation, Guard.Text($"'{paramName}' is not a defined Activation value."));
        }

        if (isOutput && !AllowedInOutput(activation))
        {
            throw new ArgumentException(Guard.Text($"Activation {activation} cannot be used in the output layer; use Identity, Sigmoid or Softmax."), paramName);
        }

        if (!isOutput && !AllowedInHidden(activation))
        {
            throw new ArgumentException(Guard.Text($"Activation {activation} cannot be used in a hidden layer; use Identity, Tanh, Sigmoid or ReLU."), paramName);
        }

        if (activation == Activation.Softmax && units < 2)
        {
            throw new ArgumentException(Guard.Text($"A Softmax output layer needs at least 2 units, but has {units}."), paramName);
        }
    }
}
