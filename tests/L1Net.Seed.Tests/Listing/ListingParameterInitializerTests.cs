using L1Net.Seed;

namespace L1Net.Seed.Tests.Listing;

public class ListingParameterInitializerTests
{
    private static float Draw(double r) => (float)((0.02 * r) - 0.01);

    [Fact]
    public void Draws_the_listing_order_into_row_major_layers()
    {
        DenseNetwork network = SeedRunner.CreateNetwork(new PyRandom(0));
        var reference = new PyRandom(0);
        float[] flat = [.. Enumerable.Range(0, 124).Select(_ => Draw(reference.Random()))];

        // Listing order: ih[i][j] (i < 10 outer, j < 8 inner), hidden biases, ho[j][k] (j outer, k < 4 inner), output biases.
        Span<float> ih = network.GetWeights(0), hb = network.GetBiases(0), ho = network.GetWeights(1), ob = network.GetBiases(1);
        for (int i = 0; i < 10; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(flat[(i * 8) + j], ih[(j * 10) + i]);
            }
        }

        for (int j = 0; j < 8; j++)
        {
            Assert.Equal(flat[80 + j], hb[j]);
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(flat[88 + (j * 4) + k], ho[(k * 8) + j]);
            }
        }

        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(flat[120 + k], ob[k]);
        }
    }

    [Fact]
    public void First_weight_is_the_first_draw_of_Random_0()
    {
        DenseNetwork network = SeedRunner.CreateNetwork(new PyRandom(0));
        Assert.Equal(Draw(0.8444218515250481), network.GetWeights(0)[0]);
        Assert.Equal(Draw(0.7579544029403025), network.GetWeights(0)[10]);
    }

    [Fact]
    public void Leaves_the_shared_generator_after_the_124_draws()
    {
        var shared = new PyRandom(0);
        SeedRunner.CreateNetwork(shared);
        var reference = new PyRandom(0);
        for (int i = 0; i < 124; i++)
        {
            reference.Random();
        }

        Assert.Equal(reference.NextUInt32(), shared.NextUInt32());
    }

    [Fact]
    public void Rejects_a_network_without_exactly_one_hidden_layer()
    {
        var initializer = new ListingParameterInitializer(new PyRandom(0));
        Assert.Throws<ArgumentException>(() => NetworkBuilder.Input(3).Dense(2, Activation.Softmax).Build(initializer));
    }
}
