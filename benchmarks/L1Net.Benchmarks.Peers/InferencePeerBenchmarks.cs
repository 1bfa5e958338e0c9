using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace L1Net.Benchmarks.Peers;

/// <summary>
/// <see cref="InferenceBenchmarks"/> (L1Net against ONNX Runtime) with TorchSharp added in the same run: the same weights
/// in <c>nn.Sequential</c> Linear/activation layers, one thread, forward under <c>no_grad</c>, then softmax and argmax,
/// the input tensor created once.
/// </summary>
public class InferencePeerBenchmarks : InferenceBenchmarks
{
    private nn.Module<Tensor, Tensor> _torch = null!;
    private Tensor _x = null!;

    /// <inheritdoc />
    public override void Setup()
    {
        base.Setup();
        torch.set_num_threads(1);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        using (torch.no_grad())
        {
            for (int l = 0; l < Model.Layers.Count; l++)
            {
                LayerInfo info = Model.Layers[l];
                var linear = nn.Linear(info.InputSize, info.OutputSize);
                linear.weight!.copy_(torch.tensor(Model.GetWeights(l).ToArray(), [info.OutputSize, info.InputSize]));
                linear.bias!.copy_(torch.tensor(Model.GetBiases(l).ToArray(), [info.OutputSize]));
                layers.Add(($"linear{l}", linear));
                nn.Module<Tensor, Tensor>? activation = info.Activation switch
                {
                    Activation.Tanh => nn.Tanh(),
                    Activation.Sigmoid => nn.Sigmoid(),
                    Activation.ReLU => nn.ReLU(),
                    Activation.Softmax => nn.Softmax(1),
                    _ => null,
                };
                if (activation is not null)
                {
                    layers.Add(($"activation{l}", activation));
                }
            }
        }

        _torch = nn.Sequential(layers);
        _torch.eval();
        _x = torch.tensor(Inputs, [Batch, Model.InputSize]);
    }

    /// <inheritdoc />
    public override void Cleanup()
    {
        _x.Dispose();
        _torch.Dispose();
        base.Cleanup();
    }

    /// <summary>TorchSharp: forward under <c>no_grad</c>, probabilities and classes.</summary>
    [Benchmark]
    public long TorchSharp()
    {
        using var noGrad = torch.no_grad();
        using DisposeScope scope = NewDisposeScope();
        Tensor probabilities = _torch.forward(_x);
        Tensor classes = probabilities.argmax(1);
        return classes[0].item<long>();
    }
}
