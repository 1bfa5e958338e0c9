using L1Net.Networks;

namespace L1Net.Seed;

/// <summary>
/// The listing's <c>initializeWeights</c> for a 2-layer network (inputs, one hidden layer, outputs): draws every
/// parameter in the listing's order from a shared <see cref="PyRandom"/>, each <c>(float)(0.02 * Random() - 0.01)</c>,
/// and writes it into L1Net's layout.
/// </summary>
/// <remarks>
/// The listing's flat order is: input-to-hidden weights <c>ih[i][j]</c> (input <c>i</c> outer, hidden <c>j</c> inner),
/// hidden biases, hidden-to-output weights <c>ho[j][k]</c> (hidden <c>j</c> outer, output <c>k</c> inner), output
/// biases. L1Net stores weights row-major <c>W[output, input]</c>, so <c>ih[i][j]</c> goes to <c>W0[j, i]</c> and
/// <c>ho[j][k]</c> to <c>W1[k, j]</c>. The generator is shared on purpose: the listing's training loop goes on drawing
/// its shuffles from the same <c>random.Random</c> object (see <see cref="ListingSampleOrder"/>).
/// </remarks>
public sealed class ListingParameterInitializer : IParameterInitializer
{
    private const double Low = -0.01;
    private const double High = 0.01;

    private readonly PyRandom _random;

    /// <summary>Creates the initializer.</summary>
    /// <param name="random">The generator to draw from (the listing's <c>self.rnd</c>); it advances by two words per parameter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public ListingParameterInitializer(PyRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The network does not have exactly two layers.</exception>
    public void Initialize(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Layers.Count != 2)
        {
            throw new ArgumentException($"The listing's layout is for one hidden layer; the network has {network.Layers.Count} layers.", nameof(network));
        }

        int inputs = network.InputSize;
        int hidden = network.Layers[0].OutputSize;
        int outputs = network.OutputSize;
        Span<float> ih = network.GetWeights(0);
        Span<float> hb = network.GetBiases(0);
        Span<float> ho = network.GetWeights(1);
        Span<float> ob = network.GetBiases(1);

        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < hidden; j++)
            {
                ih[(j * inputs) + i] = Next();
            }
        }

        for (int j = 0; j < hidden; j++)
        {
            hb[j] = Next();
        }

        for (int j = 0; j < hidden; j++)
        {
            for (int k = 0; k < outputs; k++)
            {
                ho[(k * hidden) + j] = Next();
            }
        }

        for (int k = 0; k < outputs; k++)
        {
            ob[k] = Next();
        }
    }

    /// <summary>The listing's <c>(hi - lo) * rnd.random() + lo</c>, in double, stored as float32.</summary>
    private float Next() => (float)(((High - Low) * _random.Random()) + Low);
}
