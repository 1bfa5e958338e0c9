namespace L1Net.Tests.Support;

/// <summary>
/// A double-precision forward pass and objective written independently of L1Net's code: plain loops over the parameter
/// span, read through the layout that <see cref="LayerInfo"/> documents (W[o, i] row-major at WeightOffset, biases at
/// BiasOffset). The gradient checks difference this objective numerically.
/// </summary>
internal static class ReferenceModel
{
    public const double ProbabilityFloor = 1e-12;

    /// <summary>
    /// Runs the network in double on one input. Returns the output; <paramref name="minReluMargin"/> receives the smallest
    /// |z| over ReLU units (infinity when there are none), so callers can keep away from the kink.
    /// </summary>
    public static double[] Forward(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<double> p, ReadOnlySpan<float> input, out double minReluMargin)
    {
        minReluMargin = double.PositiveInfinity;
        double[] x = new double[input.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = input[i];
        }

        foreach (LayerInfo layer in layers)
        {
            double[] z = new double[layer.OutputSize];
            for (int o = 0; o < layer.OutputSize; o++)
            {
                double s = p[layer.BiasOffset + o];
                for (int i = 0; i < layer.InputSize; i++)
                {
                    s += p[layer.WeightOffset + (o * layer.InputSize) + i] * x[i];
                }

                z[o] = s;
            }

            x = Activate(layer.Activation, z);
            if (layer.Activation == Activation.ReLU)
            {
                foreach (double v in z)
                {
                    minReluMargin = Math.Min(minReluMargin, Math.Abs(v));
                }
            }
        }

        return x;
    }

    public static double[] Activate(Activation activation, double[] z)
    {
        double[] a = new double[z.Length];
        switch (activation)
        {
            case Activation.Identity:
                z.CopyTo(a, 0);
                break;
            case Activation.Tanh:
                for (int k = 0; k < z.Length; k++)
                {
                    a[k] = Math.Tanh(z[k]);
                }

                break;
            case Activation.Sigmoid:
                for (int k = 0; k < z.Length; k++)
                {
                    a[k] = 1.0 / (1.0 + Math.Exp(-z[k]));
                }

                break;
            case Activation.ReLU:
                for (int k = 0; k < z.Length; k++)
                {
                    a[k] = z[k] > 0 ? z[k] : 0;
                }

                break;
            case Activation.Softmax:
                double max = z.Max();
                double sum = 0;
                for (int k = 0; k < z.Length; k++)
                {
                    a[k] = Math.Exp(z[k] - max);
                    sum += a[k];
                }

                for (int k = 0; k < z.Length; k++)
                {
                    a[k] /= sum;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }

        return a;
    }

    /// <summary>The per-row loss E(o, t) as documented on <see cref="LossFunction"/>.</summary>
    public static double Loss(LossFunction loss, Activation output, double[] o, ReadOnlySpan<float> t)
    {
        double e = 0;
        for (int k = 0; k < o.Length; k++)
        {
            if (loss == LossFunction.SquaredError)
            {
                double d = t[k] - o[k];
                e += 0.5 * d * d;
            }
            else if (output == Activation.Sigmoid)
            {
                e -= (t[k] * Math.Log(Math.Max(o[k], ProbabilityFloor))) + ((1 - t[k]) * Math.Log(Math.Max(1 - o[k], ProbabilityFloor)));
            }
            else
            {
                e -= t[k] * Math.Log(Math.Max(o[k], ProbabilityFloor));
            }
        }

        return e;
    }

    /// <summary>R(w) by the documented formula: l1 * sum |w| + l2 / 2 * sum w^2.</summary>
    public static double Penalty(RegSpec reg, ReadOnlySpan<double> w)
    {
        double r = 0;
        foreach (double v in w)
        {
            r += (reg.L1 * Math.Abs(v)) + (0.5 * reg.L2 * v * v);
        }

        return r;
    }

    /// <summary>
    /// R of one layer's weights (<paramref name="biases"/> false) or biases: <see cref="Penalty(RegSpec, ReadOnlySpan{double})"/>, or for the group
    /// lasso <c>l1 ((1 - a) sqrt(rows) sum_columns ||w_c|| + a sum |w|)</c> on weights and nothing on biases.
    /// </summary>
    public static double Penalty(RegSpec reg, ReadOnlySpan<double> w, LayerInfo layer, bool biases)
    {
        if (reg.Kind != RegKind.GroupLasso)
        {
            return Penalty(reg, w);
        }

        if (biases)
        {
            return 0;
        }

        double norms = 0;
        double l1 = 0;
        for (int c = 0; c < layer.InputSize; c++)
        {
            double s = 0;
            for (int r = 0; r < layer.OutputSize; r++)
            {
                double v = w[(r * layer.InputSize) + c];
                s += v * v;
                l1 += Math.Abs(v);
            }

            norms += Math.Sqrt(s);
        }

        const double a = RegSpec.GroupL1Ratio;
        return reg.L1 * (((1 - a) * Math.Sqrt(layer.OutputSize) * norms) + (a * l1));
    }

    /// <summary>J = 1/N sum_n E_n + sum_l R_l(W_l) (+ R_l(b_l) when biases are regularized).</summary>
    public static double Objective(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<double> p, Dataset data, LossFunction loss, IReadOnlyList<RegSpec> regs, bool regularizeBiases)
    {
        double sum = 0;
        for (int r = 0; r < data.Count; r++)
        {
            double[] o = Forward(layers, p, data.GetFeatures(r), out _);
            sum += Loss(loss, layers[^1].Activation, o, data.GetTarget(r));
        }

        double j = sum / data.Count;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerInfo layer = layers[l];
            j += Penalty(regs[l], p.Slice(layer.WeightOffset, layer.WeightCount), layer, biases: false);
            if (regularizeBiases)
            {
                j += Penalty(regs[l], p.Slice(layer.BiasOffset, layer.OutputSize), layer, biases: true);
            }
        }

        return j;
    }

    /// <summary>Central differences (J(w + h e_i) - J(w - h e_i)) / 2h of <see cref="Objective"/> for every parameter.</summary>
    public static double[] NumericGradient(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters, Dataset data, LossFunction loss, IReadOnlyList<RegSpec> regs, bool regularizeBiases, double h)
    {
        double[] p = ToDouble(parameters);
        double[] g = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double keep = p[i];
            p[i] = keep + h;
            double plus = Objective(layers, p, data, loss, regs, regularizeBiases);
            p[i] = keep - h;
            double minus = Objective(layers, p, data, loss, regs, regularizeBiases);
            p[i] = keep;
            g[i] = (plus - minus) / (2 * h);
        }

        return g;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        double[] d = new double[values.Length];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = values[i];
        }

        return d;
    }
}
