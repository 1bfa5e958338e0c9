using L1Net.Kernels;

namespace L1Net.Networks;

/// <summary>
/// Turns a trained <see cref="DenseNetwork"/> into a compact one without the inputs and hidden units that cannot change
/// any output, so a network trained with a group penalty (or any sparse network) becomes smaller and faster.
/// </summary>
/// <remarks>
/// <para>
/// Only exact zeros count; the analysis is structural and needs no data. An input is dead when every weight leaving it
/// is zero. A hidden unit is dead when every weight leaving it to a live unit of the next layer is zero (it contributes
/// nothing), or when every weight reaching it from a live unit of the previous layer is zero: it then outputs the constant
/// <c>f(b)</c> of its bias, which is folded into the next layer's biases (<c>b'[k] += f(b[j]) * W[k, j]</c>) before the unit
/// is removed. Removing one unit can make others dead, so the analysis repeats until nothing changes. Output units are
/// never removed.
/// </para>
/// <para>
/// The compact network computes the same function as the original up to float rounding (a folded constant is added to
/// the bias before, not after, the other terms). Should every unit of a hidden layer (or every input) be dead, one of
/// them is kept with all its weights zero, because a layer needs at least one unit; it contributes exactly zero.
/// </para>
/// </remarks>
public static class NetworkPruner
{
    /// <summary>Removes the dead inputs and hidden units of <paramref name="network"/> into a new network; the original is not changed.</summary>
    /// <param name="network">The trained network.</param>
    /// <returns>The compact network, with the inputs and units it kept.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="network"/> holds a non-finite parameter.</exception>
    public static PrunedNetwork Prune(DenseNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int bad = Guard.IndexOfNonFinite(network.Parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(Guard.Text($"The network holds a non-finite value ({network.Parameters[bad]}) at parameter {bad}; it cannot be pruned."), nameof(network));
        }

        IReadOnlyList<LayerInfo> layers = network.Layers;
        int layerCount = layers.Count;
        float[][] biases = new float[layerCount][];
        for (int l = 0; l < layerCount; l++)
        {
            biases[l] = network.GetBiases(l).ToArray();
        }

        bool[][] live = Liveness(network, biases);

        int[][] kept = new int[layerCount + 1][];
        bool[] placeholder = new bool[layerCount + 1];
        for (int l = 0; l <= layerCount; l++)
        {
            kept[l] = Indices(live[l]);
            if (kept[l].Length == 0)
            {
                kept[l] = [0];
                placeholder[l] = true;
            }
        }

        var specs = new LayerSpec[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            specs[l] = new LayerSpec(kept[l + 1].Length, layers[l].Activation);
        }

        var compact = new DenseNetwork(kept[0].Length, specs);
        for (int l = 0; l < layerCount; l++)
        {
            ReadOnlySpan<float> weights = network.GetWeights(l);
            Span<float> target = compact.GetWeights(l);
            Span<float> targetBiases = compact.GetBiases(l);
            int[] rows = kept[l + 1];
            int[] columns = kept[l];
            int width = layers[l].InputSize;
            for (int r = 0; r < rows.Length; r++)
            {
                // A placeholder unit or input carries only zeros, so it contributes exactly nothing.
                bool zeroRow = placeholder[l + 1];
                targetBiases[r] = zeroRow ? 0f : biases[l][rows[r]];
                for (int c = 0; c < columns.Length; c++)
                {
                    target[(r * columns.Length) + c] = zeroRow || placeholder[l] ? 0f : weights[(rows[r] * width) + columns[c]];
                }
            }
        }

        var units = new int[layerCount - 1][];
        for (int l = 0; l < layerCount - 1; l++)
        {
            units[l] = placeholder[l + 1] ? [] : kept[l + 1];
        }

        return new PrunedNetwork(compact, network.InputSize, placeholder[0] ? [] : kept[0], units, network.ParameterCount);
    }

    /// <summary>
    /// Finds the inputs and hidden units of <paramref name="network"/> that can change an output, by the same analysis as
    /// <see cref="Prune"/> (exact zeros only), without building a network: the features and units a sparse network selected.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <returns>The selected inputs and, for each hidden layer, the selected units.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    public static NetworkSelection Analyze(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        bool[][] live = Liveness(network, null);
        var units = new int[network.Layers.Count - 1][];
        for (int l = 0; l < units.Length; l++)
        {
            units[l] = Indices(live[l + 1]);
        }

        int[] inputs = Indices(live[0]);
        if (inputs.Length == 0)
        {
            // Nothing reaches the outputs: no unit is selected either (it could only add a constant).
            for (int l = 0; l < units.Length; l++)
            {
                units[l] = [];
            }
        }

        return new NetworkSelection(network.InputSize, inputs, units, [.. network.Layers.Take(units.Length).Select(l => l.OutputSize)]);
    }

    /// <summary>
    /// The live inputs (<c>[0]</c>) and units (<c>[l + 1]</c> for layer <c>l</c>; the outputs always live) by repeated
    /// structural analysis until nothing changes. When <paramref name="biases"/> is given, the constant output of every unit
    /// removed for a zero fan-in is folded into the next layer's biases there.
    /// </summary>
    private static bool[][] Liveness(INetwork network, float[][]? biases)
    {
        IReadOnlyList<LayerInfo> layers = network.Layers;
        int layerCount = layers.Count;
        bool[][] live = new bool[layerCount + 1][];
        live[0] = Filled(network.InputSize);
        for (int l = 0; l < layerCount; l++)
        {
            live[l + 1] = Filled(layers[l].OutputSize);
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = 0; i < network.InputSize; i++)
            {
                if (live[0][i] && ColumnIsZero(network.GetWeights(0), layers[0], i, live[1]))
                {
                    live[0][i] = false;
                    changed = true;
                }
            }

            for (int l = 0; l < layerCount - 1; l++)
            {
                LayerInfo layer = layers[l];
                LayerInfo next = layers[l + 1];
                ReadOnlySpan<float> weights = network.GetWeights(l);
                ReadOnlySpan<float> nextWeights = network.GetWeights(l + 1);
                for (int j = 0; j < layer.OutputSize; j++)
                {
                    if (!live[l + 1][j])
                    {
                        continue;
                    }

                    if (ColumnIsZero(nextWeights, next, j, live[l + 2]))
                    {
                        live[l + 1][j] = false;
                        changed = true;
                    }
                    else if (RowIsZero(weights, layer, j, live[l]))
                    {
                        if (biases is not null)
                        {
                            float constant = Activate(layer.Activation, biases[l][j]);
                            for (int k = 0; k < next.OutputSize; k++)
                            {
                                if (live[l + 2][k])
                                {
                                    biases[l + 1][k] += constant * nextWeights[(k * next.InputSize) + j];
                                }
                            }
                        }

                        live[l + 1][j] = false;
                        changed = true;
                    }
                }
            }
        }

        return live;
    }

    /// <summary>The activation of one scalar, through the shared activation kernels (hidden activations only).</summary>
    internal static float Activate(Activation activation, float x)
    {
        if (!ActivationRules.AllowedInHidden(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Only hidden activations can be folded.");
        }

        Span<float> value = [x];
        ActivationKernels.Apply(activation, value, value);
        return value[0];
    }

    private static bool[] Filled(int count)
    {
        var flags = new bool[count];
        Array.Fill(flags, true);
        return flags;
    }

    private static int[] Indices(bool[] flags)
    {
        var list = new List<int>(flags.Length);
        for (int i = 0; i < flags.Length; i++)
        {
            if (flags[i])
            {
                list.Add(i);
            }
        }

        return [.. list];
    }

    /// <summary>Whether every weight from input <paramref name="column"/> to a live unit of <paramref name="layer"/> is zero.</summary>
    private static bool ColumnIsZero(ReadOnlySpan<float> weights, LayerInfo layer, int column, bool[] liveRows)
    {
        for (int k = 0; k < layer.OutputSize; k++)
        {
            if (liveRows[k] && weights[(k * layer.InputSize) + column] != 0f)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every weight reaching unit <paramref name="row"/> of <paramref name="layer"/> from a live input is zero.</summary>
    private static bool RowIsZero(ReadOnlySpan<float> weights, LayerInfo layer, int row, bool[] liveColumns)
    {
        ReadOnlySpan<float> w = weights.Slice(row * layer.InputSize, layer.InputSize);
        for (int i = 0; i < w.Length; i++)
        {
            if (liveColumns[i] && w[i] != 0f)
            {
                return false;
            }
        }

        return true;
    }
}
