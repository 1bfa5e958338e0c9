using System.Numerics;

namespace L1Net.Seed;

/// <summary>
/// A bit-exact port of CPython's <c>random.Random</c> (the MT19937 Mersenne Twister of
/// <c>Modules/_randommodule.c</c> plus the pure-Python helpers of <c>Lib/random.py</c>), for
/// integer seeds <c>0 &lt;= n &lt; 2^32</c>. Every method draws exactly the same 32-bit words,
/// in the same order, as its CPython namesake, so a sequence of calls on
/// <c>new PyRandom(n)</c> returns the same values, bit for bit, as the same calls on
/// <c>random.Random(n)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Seeding: CPython turns the seed <c>n</c> into the key <c>[n]</c> (one 32-bit word, also for
/// <c>n = 0</c>) and calls MT19937's reference <c>init_by_array(key)</c>, which starts from
/// <c>init_genrand(19650218)</c> and then mixes the key in with two loops. So <c>PyRandom(0)</c>
/// is not <c>init_genrand(0)</c>.
/// </para>
/// <para>
/// The instance is not thread-safe. No method allocates.
/// </para>
/// </remarks>
public sealed class PyRandom
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _mt = new uint[N];
    private int _index;

    /// <summary>
    /// Creates a generator in the state of CPython's <c>random.Random(seed)</c>:
    /// <c>init_genrand(19650218)</c> followed by <c>init_by_array([seed])</c>.
    /// </summary>
    /// <param name="seed">The seed, any value of <c>0 &lt;= seed &lt; 2^32</c>.</param>
    public PyRandom(uint seed)
    {
        InitByArray(seed);
    }

    /// <summary>
    /// Returns the next 32-bit output of MT19937 (CPython's <c>genrand_uint32</c>): regenerates
    /// the 624-word state when it is used up, then tempers the next word with
    /// <c>y ^= y &gt;&gt; 11; y ^= (y &lt;&lt; 7) &amp; 0x9d2c5680; y ^= (y &lt;&lt; 15) &amp; 0xefc60000; y ^= y &gt;&gt; 18</c>.
    /// </summary>
    /// <returns>A uniformly distributed value in <c>[0, 2^32)</c>.</returns>
    public uint NextUInt32()
    {
        uint[] mt = _mt;
        uint y;
        if (_index >= N)
        {
            int kk;
            for (kk = 0; kk < N - M; kk++)
            {
                y = (mt[kk] & UpperMask) | (mt[kk + 1] & LowerMask);
                mt[kk] = mt[kk + M] ^ (y >> 1) ^ ((y & 1U) * MatrixA);
            }

            for (; kk < N - 1; kk++)
            {
                y = (mt[kk] & UpperMask) | (mt[kk + 1] & LowerMask);
                mt[kk] = mt[kk + (M - N)] ^ (y >> 1) ^ ((y & 1U) * MatrixA);
            }

            y = (mt[N - 1] & UpperMask) | (mt[0] & LowerMask);
            mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ ((y & 1U) * MatrixA);
            _index = 0;
        }

        y = mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// CPython's <c>random()</c>: a double in <c>[0, 1)</c> with 53 random bits, computed as
    /// <c>a = NextUInt32() &gt;&gt; 5</c>, <c>b = NextUInt32() &gt;&gt; 6</c>,
    /// <c>(a * 67108864.0 + b) / 9007199254740992.0</c> (that is <c>(a * 2^26 + b) / 2^53</c>).
    /// Consumes two 32-bit words.
    /// </summary>
    /// <returns>A value in <c>[0, 1)</c>.</returns>
    public double Random()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary>
    /// CPython's <c>uniform(a, b)</c>: <c>a + (b - a) * Random()</c>, evaluated in double in that
    /// order. Consumes two 32-bit words.
    /// </summary>
    /// <param name="a">One end of the range.</param>
    /// <param name="b">The other end of the range.</param>
    /// <returns><c>a + (b - a) * Random()</c>.</returns>
    public double Uniform(double a, double b) => a + ((b - a) * Random());

    /// <summary>
    /// CPython's <c>getrandbits(k)</c> for <c>1 &lt;= k &lt;= 32</c>:
    /// <c>NextUInt32() &gt;&gt; (32 - k)</c>, the <paramref name="k"/> high bits of one 32-bit word.
    /// </summary>
    /// <param name="k">The number of bits, <c>1 &lt;= k &lt;= 32</c>.</param>
    /// <returns>A value in <c>[0, 2^k)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1 or above 32.</exception>
    public uint GetRandBits(int k)
    {
        if (k < 1 || k > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be between 1 and 32.");
        }

        return NextUInt32() >> (32 - k);
    }

    /// <summary>
    /// CPython's <c>_randbelow_with_getrandbits(n)</c>: with <c>k</c> the bit length of
    /// <paramref name="n"/>, draws <c>r = GetRandBits(k)</c> until <c>r &lt; n</c> and returns
    /// <c>r</c> (rejection sampling; consumes one 32-bit word per attempt).
    /// </summary>
    /// <param name="n">The exclusive upper bound, <c>n &gt; 0</c>.</param>
    /// <returns>A uniformly distributed value in <c>[0, n)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is zero or negative.</exception>
    public int RandBelow(int n)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");
        }

        int k = 32 - BitOperations.LeadingZeroCount((uint)n);
        uint r = GetRandBits(k);
        while (r >= (uint)n)
        {
            r = GetRandBits(k);
        }

        return (int)r;
    }

    /// <summary>
    /// CPython's <c>shuffle(x)</c>, in place: for <c>i</c> from <c>Length - 1</c> down to 1,
    /// <c>j = RandBelow(i + 1)</c>, then swap <c>items[i]</c> and <c>items[j]</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The items to shuffle in place.</param>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = RandBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// CPython's <c>shuffle(x)</c>, in place: for <c>i</c> from <c>Count - 1</c> down to 1,
    /// <c>j = RandBelow(i + 1)</c>, then swap <c>items[i]</c> and <c>items[j]</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The list to shuffle in place.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = RandBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>MT19937's reference <c>init_genrand(s)</c>.</summary>
    private void InitGenRand(uint s)
    {
        uint[] mt = _mt;
        mt[0] = s;
        for (int i = 1; i < N; i++)
        {
            mt[i] = unchecked((1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30))) + (uint)i);
        }

        _index = N;
    }

    /// <summary>MT19937's reference <c>init_by_array(key)</c> for the one-word key <c>[key0]</c>.</summary>
    private void InitByArray(uint key0)
    {
        const int keyLength = 1;
        InitGenRand(19650218U);
        uint[] mt = _mt;
        int i = 1;
        int j = 0;
        for (int k = N > keyLength ? N : keyLength; k > 0; k--)
        {
            // j is always 0 for a one-word key, so init_key[j] + j == key0.
            mt[i] = unchecked((mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key0 + (uint)j);
            i++;
            j++;
            if (i >= N)
            {
                mt[0] = mt[N - 1];
                i = 1;
            }

            if (j >= keyLength)
            {
                j = 0;
            }
        }

        for (int k = N - 1; k > 0; k--)
        {
            mt[i] = unchecked((mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - (uint)i);
            i++;
            if (i >= N)
            {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }

        mt[0] = 0x80000000U; // MSB is 1, assuring a non-zero initial array.
    }
}
