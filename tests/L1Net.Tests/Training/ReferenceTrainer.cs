namespace L1Net.Tests.Training;

/// <summary>
/// A deliberately plain implementation of back-propagation SGD in double precision, written from the definitions (no
/// fusion, no SIMD, no threads), against which the optimized trainer paths are checked.
/// </summary>
internal static class ReferenceTrainer
{
    public static double[] Train(DenseNetwork network, Dataset data, TrainerOptions o, double l1, double l2)
    {
        LayerInfo[] layers = network.Layers.ToArray();
        double[] p = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] velocity = new double[p.Length];
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        ISampleOrder sampleOrder = o.SampleOrder ?? new ShuffledSampleOrder(o.Seed);
        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            sampleOrder.Arrange(order, epoch);
            for (int first = 0; first < data.Count; first += o.BatchSize)
            {
                int count = Math.Min(o.BatchSize, data.Count - first);
                double[] g = new double[p.Length];
                for (int s = 0; s < count; s++)
                {
                    int row = order[first + s];
                    AddSampleGradient(layers, p, data.GetFeatures(row).ToArray(), data.GetTarget(row).ToArray(), o.Loss, g);
                }

                for (int i = 0; i < g.Length; i++)
                {
                    g[i] /= count;
                }

                foreach (LayerInfo layer in layers)
                {
                    int n = o.RegularizeBiases ? layer.ParameterCount : layer.WeightCount;
                    for (int i = layer.WeightOffset; i < layer.WeightOffset + n; i++)
                    {
                        g[i] += (l1 * Math.Sign(p[i])) + (l2 * p[i]);
                    }
                }

                for (int i = 0; i < p.Length; i++)
                {
                    velocity[i] = (o.Momentum * velocity[i]) + g[i];
                    p[i] -= o.LearningRate * (o.Momentum > 0 ? velocity[i] : g[i]);
                }
            }
        }

        return p;
    }

    private static void AddSampleGradient(LayerInfo[] layers, double[] p, float[] x, float[] t, LossFunction loss, double[] g)
    {
        var a = new double[layers.Length + 1][];
        a[0] = x.Select(v => (double)v).ToArray();
        for (int l = 0; l < layers.Length; l++)
        {
            LayerInfo layer = layers[l];
            var z = new double[layer.OutputSize];
            for (int o = 0; o < layer.OutputSize; o++)
            {
                double sum = p[layer.BiasOffset + o];
                for (int i = 0; i < layer.InputSize; i++)
                {
                    sum += p[layer.WeightOffset + (o * layer.InputSize) + i] * a[l][i];
                }

                z[o] = sum;
            }

            a[l + 1] = Activate(layer.Activation, z);
        }

        LayerInfo top = layers[^1];
        double[] output = a[^1];
        var delta = new double[top.OutputSize];
        for (int k = 0; k < delta.Length; k++)
        {
            delta[k] = output[k] - t[k];
        }

        if (loss == LossFunction.SquaredError && top.Activation == Activation.Softmax)
        {
            double s = delta.Select((d, k) => d * output[k]).Sum();
            delta = delta.Select((d, k) => output[k] * (d - s)).ToArray();
        }
        else if (loss == LossFunction.SquaredError && top.Activation == Activation.Sigmoid)
        {
            delta = delta.Select((d, k) => d * output[k] * (1 - output[k])).ToArray();
        }

        for (int l = layers.Length - 1; l >= 0; l--)
        {
            LayerInfo layer = layers[l];
            double[] input = a[l];
            var below = new double[layer.InputSize];
            for (int o = 0; o < layer.OutputSize; o++)
            {
                for (int i = 0; i < layer.InputSize; i++)
                {
                    int w = layer.WeightOffset + (o * layer.InputSize) + i;
                    g[w] += delta[o] * input[i];
                    below[i] += p[w] * delta[o];
                }

                g[layer.BiasOffset + o] += delta[o];
            }

            if (l > 0)
            {
                for (int i = 0; i < below.Length; i++)
                {
                    double ai = input[i];
                    below[i] *= layers[l - 1].Activation switch
                    {
                        Activation.Tanh => 1 - (ai * ai),
                        Activation.Sigmoid => ai * (1 - ai),
                        Activation.ReLU => ai > 0 ? 1 : 0,
                        _ => 1,
                    };
                }

                delta = below;
            }
        }
    }

    private static double[] Activate(Activation activation, double[] z)
    {
        switch (activation)
        {
            case Activation.Tanh:
                return z.Select(Math.Tanh).ToArray();
            case Activation.Sigmoid:
                return z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
            case Activation.ReLU:
                return z.Select(v => Math.Max(v, 0)).ToArray();
            case Activation.Softmax:
                double max = z.Max();
                double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
                double sum = e.Sum();
                return e.Select(v => v / sum).ToArray();
            default:
                return z;
        }
    }
}
