namespace L1Net.Activations;

/// <summary>The element-wise (or, for <see cref="Softmax"/>, row-wise) function a dense layer applies to its pre-activation <c>z = W x + b</c>.</summary>
public enum Activation
{
    /// <summary><c>a = z</c>. Allowed in hidden and output layers.</summary>
    Identity = 0,

    /// <summary><c>a = tanh(z)</c>, derivative <c>1 - a^2</c>. Hidden layers only.</summary>
    Tanh = 1,

    /// <summary><c>a = 1 / (1 + exp(-z))</c>, derivative <c>a (1 - a)</c>. Allowed in hidden and output layers.</summary>
    Sigmoid = 2,

    /// <summary><c>a = max(z, 0)</c>, derivative 1 for <c>a &gt; 0</c> and 0 otherwise. Hidden layers only.</summary>
    ReLU = 3,

    /// <summary><c>a_k = exp(z_k - max z) / sum_j exp(z_j - max z)</c>. Output layer only, at least two units.</summary>
    Softmax = 4,
}
