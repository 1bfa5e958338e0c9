using L1Net.Seed;

namespace L1Net.Seed.Tests;

// Expected values are CPython's (python3 -c "import random; r = random.Random(0); print(r.random())" and so on).
public class PyRandomTests
{
    [Theory]
    [InlineData(0u, 0.8444218515250481, 0.7579544029403025, 0.420571580830845)]
    [InlineData(3u, 0.23796462709189137, 0.5442292252959519, 0.36995516654807925)]
    [InlineData(42u, 0.6394267984578837, 0.025010755222666936, 0.27502931836911926)]
    [InlineData(4294967295u, 0.6353574441341173, 0.20319993954407756, 0.6073666030347188)]
    public void Random_matches_CPython_bit_for_bit(uint seed, double first, double second, double third)
    {
        var random = new PyRandom(seed);
        Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(random.Random()));
        Assert.Equal(BitConverter.DoubleToInt64Bits(second), BitConverter.DoubleToInt64Bits(random.Random()));
        Assert.Equal(BitConverter.DoubleToInt64Bits(third), BitConverter.DoubleToInt64Bits(random.Random()));
    }

    [Theory]
    [InlineData(16u, 0.36152277491407514)]
    [InlineData(18u, 0.18126486333322134)]
    public void Random_matches_CPython_for_the_article_row_seeds(uint seed, double first) =>
        Assert.Equal(first, new PyRandom(seed).Random());

    [Fact]
    public void NextUInt32_matches_CPython_getrandbits_32()
    {
        var random = new PyRandom(0);
        uint[] words = [.. Enumerable.Range(0, 5).Select(_ => random.NextUInt32())];
        Assert.Equal([3626764237u, 1654615998u, 3255389356u, 3823568514u, 1806341205u], words);
    }

    [Fact]
    public void GetRandBits_takes_the_high_bits_of_one_word()
    {
        var random = new PyRandom(0);
        uint[] bits = [.. Enumerable.Range(0, 5).Select(_ => random.GetRandBits(8))];
        Assert.Equal([216u, 98u, 194u, 227u, 107u], bits);
    }

    [Fact]
    public void Shuffle_matches_CPython()
    {
        var random = new PyRandom(0);
        int[] items = [.. Enumerable.Range(0, 10)];
        random.Shuffle(items.AsSpan());
        Assert.Equal([7, 8, 1, 5, 3, 4, 2, 0, 9, 6], items);
    }

    [Fact]
    public void Shuffle_of_a_list_and_of_a_span_agree()
    {
        int[] span = [.. Enumerable.Range(0, 200)];
        var list = new List<int>(span);
        new PyRandom(7).Shuffle(span.AsSpan());
        new PyRandom(7).Shuffle(list);
        Assert.Equal(span, list);
    }

    [Fact]
    public void RandBelow_stays_below_its_bound_and_rejects_out_of_range_draws()
    {
        // randbelow(5) draws 3 bits and rejects 5, 6, 7: the result is the first accepted draw, as in CPython.
        var reference = new PyRandom(0);
        var random = new PyRandom(0);
        for (int i = 0; i < 1000; i++)
        {
            uint draw;
            do
            {
                draw = reference.GetRandBits(3);
            }
            while (draw >= 5);

            Assert.Equal((int)draw, random.RandBelow(5));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void GetRandBits_rejects_a_bad_count(int k) =>
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => new PyRandom(0).GetRandBits(k)).ParamName);

    [Fact]
    public void RandBelow_rejects_a_bound_below_one() =>
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => new PyRandom(0).RandBelow(0)).ParamName);
}
