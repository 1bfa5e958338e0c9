using L1Net.Benchmarks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace L1Net.Benchmarks.Peers;

/// <summary>How the TorchSharp peer applies a regularizer.</summary>
public enum TorchRegularization
{
    /// <summary>None.</summary>
    None,

    /// <summary>L1 the way PyTorch users write it: <c>loss + lambda * sum |w|</c>, differentiated by autograd.</summary>
    L1AsLoss,

    /// <summary>L1 as <c>grad += lambda * sign(w)</c> after <c>backward()</c>, the same step L1Net takes.</summary>
    L1AsGradient,
}

/// <summary>
/// The same workload in TorchSharp (libtorch CPU): Linear/activation layers, SGD, the same data, shuffles and batch size.
/// Per step: index the batch, forward, loss (mean over the batch), backward, optional L1, optimizer step.
/// </summary>
public sealed class TorchTrainer : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _x;
    private readonly Tensor _labels;
    private readonly Tensor _oneHot;
    private readonly Parameter[] _weights;
    private readonly Workload _workload;
    private readonly TorchRegularization _regularization;
    private readonly int[] _order;
    private readonly long[] _orderLong;
    private readonly ShuffledSampleOrder _shuffle = new(7);
    private int _epoch;

    public TorchTrainer(Workload workload, TorchRegularization regularization, int threads)
    {
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        _workload = workload;
        _regularization = regularization;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int l = 1; l < workload.Sizes.Length; l++)
        {
            layers.Add(($"linear{l}", nn.Linear(workload.Sizes[l - 1], workload.Sizes[l])));
            if (l < workload.Sizes.Length - 1)
            {
                layers.Add(($"act{l}", workload.Hidden == Activation.ReLU ? nn.ReLU() : nn.Tanh()));
            }
        }

        _model = nn.Sequential(layers);
        _weights = _model.named_parameters().Where(p => p.name.EndsWith("weight", StringComparison.Ordinal)).Select(p => p.parameter).ToArray();
        _optimizer = optim.SGD(_model.parameters(), workload.LearningRate);
        (float[] features, int[] labels) = workload.MakeData();
        _x = tensor(features, [workload.Rows, workload.Sizes[0]]);
        _labels = tensor(labels.Select(v => (long)v).ToArray(), [workload.Rows]);
        _oneHot = nn.functional.one_hot(_labels, workload.Sizes[^1]).to(ScalarType.Float32);
        _order = Enumerable.Range(0, workload.Rows).ToArray();
        _orderLong = new long[workload.Rows];
    }

    /// <summary>Runs one epoch; returns the last step's loss.</summary>
    public float RunEpoch()
    {
        _shuffle.Arrange(_order, ++_epoch);
        for (int i = 0; i < _order.Length; i++)
        {
            _orderLong[i] = _order[i];
        }

        float last = 0f;
        using DisposeScope epochScope = NewDisposeScope();
        Tensor permutation = tensor(_orderLong);
        int batch = _workload.BatchSize;
        for (int first = 0; first < _order.Length; first += batch)
        {
            using DisposeScope scope = NewDisposeScope();
            int count = Math.Min(batch, _order.Length - first);
            Tensor index = permutation.narrow(0, first, count);
            Tensor xb = _x.index_select(0, index);
            _optimizer.zero_grad();
            Tensor logits = _model.forward(xb);
            Tensor loss = _workload.Loss == LossFunction.CrossEntropy
                ? nn.functional.cross_entropy(logits, _labels.index_select(0, index))
                : (nn.functional.softmax(logits, 1) - _oneHot.index_select(0, index)).square().sum() * (0.5 / count);
            if (_regularization == TorchRegularization.L1AsLoss)
            {
                foreach (Parameter w in _weights)
                {
                    loss = loss + (w.abs().sum() * Workloads.Lambda);
                }
            }

            loss.backward();
            if (_regularization == TorchRegularization.L1AsGradient)
            {
                using (no_grad())
                {
                    foreach (Parameter w in _weights)
                    {
                        w.grad!.add_(w.sign(), Workloads.Lambda);
                    }
                }
            }

            _optimizer.step();
            if (first + batch >= _order.Length)
            {
                last = loss.item<float>();
            }
        }

        return last;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _x.Dispose();
        _labels.Dispose();
        _oneHot.Dispose();
    }
}
