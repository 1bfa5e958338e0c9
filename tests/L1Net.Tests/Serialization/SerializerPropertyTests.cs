using System.Text;
using CsCheck;
using L1Net.Serialization;
using L1Net.Tests.Reliability;

namespace L1Net.Tests.Serialization;

/// <summary>
/// Property-based tests (CsCheck): random architectures round-trip bit for bit (every float bit pattern that is finite,
/// including -0.0, subnormals and the extremes), and random byte mutations and truncations of saved models make the
/// loader either succeed with a valid network or throw <see cref="InvalidDataException"/>: never another exception, with
/// memory bounded by the document's size.
/// </summary>
public class SerializerPropertyTests
{
    private static readonly Activation[] Hidden = [Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU];

    private static readonly float[] Special =
    [
        0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1.17549421E-38f /* largest subnormal */,
        -1.17549435E-38f /* smallest normal */, 1f, -1f, 0.1f, 16777217f, 3.4028233E+38f,
    ];

    /// <summary>A random layer: units (1..7), and an activation index.</summary>
    private static readonly Gen<(int Units, int Activation)> LayerGen = Gen.Select(Gen.Int[1, 7], Gen.Int[0, 3]);

    /// <summary>Any finite float: random bit patterns (non-finite ones replaced) mixed with special values.</summary>
    private static readonly Gen<float> FiniteFloat = Gen.Frequency(
        (3, Gen.UInt.Select(bits => BitConverter.UInt32BitsToSingle(bits)).Select(f => float.IsFinite(f) ? f : -0f)),
        (1, Gen.Int[0, Special.Length - 1].Select(i => Special[i])),
        (1, Gen.UInt[0, 0x007FFFFF].Select(bits => BitConverter.UInt32BitsToSingle(bits) * (bits % 2 == 0 ? 1 : -1))));

    /// <summary>A random network: 1..6 inputs, 1..4 layers, valid activations, every parameter from <see cref="FiniteFloat"/>.</summary>
    private static readonly Gen<DenseNetwork> NetworkGen =
        Gen.Select(Gen.Int[1, 6], LayerGen.Array[1, 4], Gen.Int[0, 2])
            .Select(t => Architecture(t.Item1, t.Item2, t.Item3))
            .SelectMany(net => FiniteFloat.Array[net.ParameterCount].Select(p =>
            {
                p.CopyTo(net.Parameters);
                return net;
            }));

    private static DenseNetwork Architecture(int inputs, (int Units, int Activation)[] layers, int output)
    {
        var specs = new LayerSpec[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            bool last = l == layers.Length - 1;
            Activation activation = last ? (output switch { 0 => Activation.Identity, 1 => Activation.Sigmoid, _ => Activation.Softmax }) : Hidden[layers[l].Activation];
            int units = last && activation == Activation.Softmax ? Math.Max(2, layers[l].Units) : layers[l].Units;
            specs[l] = new LayerSpec(units, activation);
        }

        return new DenseNetwork(inputs, specs);
    }

    [Fact]
    public void Random_architectures_round_trip_bit_for_bit()
    {
        NetworkGen.Sample(
            network =>
            {
                string json = NetworkSerializer.ToJson(network);
                DenseNetwork loaded = NetworkSerializer.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

                Assert.Equal(network.ToString(), loaded.ToString());
                Assert.Equal(network.Layers, loaded.Layers);
                Fixtures.AssertBitIdentical(Fixtures.Bits(network), loaded);
                Assert.Equal(json, NetworkSerializer.ToJson(loaded));
            },
            iter: 400,
            threads: 1,
            print: n => n.ToString());
    }

    [Fact]
    public void Special_values_round_trip_bit_for_bit()
    {
        DenseNetwork network = new(1, [new LayerSpec(Special.Length, Activation.Identity)]);
        Special.CopyTo(network.GetWeights(0));
        Special.Reverse().ToArray().CopyTo(network.GetBiases(0));

        DenseNetwork loaded = NetworkSerializer.FromJson(NetworkSerializer.ToJson(network));

        Fixtures.AssertBitIdentical(Fixtures.Bits(network), loaded);
        Assert.True(float.IsNegative(loaded.GetWeights(0)[1]));
    }

    /// <summary>One mutation of a document's bytes.</summary>
    private enum Mutation
    {
        Flip,
        Replace,
        Delete,
        Insert,
        Truncate,
        Duplicate,
        Token,
    }

    private static readonly string[] Tokens =
    [
        "1e39", "-1e39", "NaN", "-0", "1e-46", "99999999999", "-1", "0", "2.5", "\"x\"", "null", "[]", "{}", "true", "[[[[[[1]]]]]]",
        "\"\\uD800\"", "1048576", "268435456", "2147483648", ",", ":", "\"version\":2", "\"units\":1", "}", "]", "\"Softmax\"",
    ];

    private static readonly Gen<(Mutation Kind, uint Position, uint Length, byte Value)> MutationGen =
        Gen.Select(Gen.Int[0, 6].Select(i => (Mutation)i), Gen.UInt, Gen.UInt[1, 64], Gen.Byte);

    private static byte[] Apply(byte[] document, (Mutation Kind, uint Position, uint Length, byte Value)[] mutations)
    {
        var bytes = new List<byte>(document);
        foreach ((Mutation kind, uint position, uint length, byte value) in mutations)
        {
            if (bytes.Count == 0)
            {
                break;
            }

            int at = (int)(position % (uint)bytes.Count);
            int count = Math.Min((int)length, bytes.Count - at);
            switch (kind)
            {
                case Mutation.Flip:
                    bytes[at] ^= (byte)(1 << (value % 8));
                    break;
                case Mutation.Replace:
                    bytes[at] = value;
                    break;
                case Mutation.Delete:
                    bytes.RemoveRange(at, count);
                    break;
                case Mutation.Insert:
                    bytes.InsertRange(at, Enumerable.Repeat(value, count));
                    break;
                case Mutation.Truncate:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case Mutation.Duplicate:
                    bytes.InsertRange(at, bytes.GetRange(at, count));
                    break;
                case Mutation.Token:
                    // Replace the number or word at this position with an interesting token.
                    int start = at, end = at;
                    while (start > 0 && !"{}[],:".Contains((char)bytes[start - 1], StringComparison.Ordinal))
                    {
                        start--;
                    }

                    while (end < bytes.Count && !"{}[],:".Contains((char)bytes[end], StringComparison.Ordinal))
                    {
                        end++;
                    }

                    bytes.RemoveRange(start, end - start);
                    bytes.InsertRange(start, Encoding.UTF8.GetBytes(Tokens[value % Tokens.Length]));
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void Random_mutations_and_truncations_only_ever_throw_InvalidDataException_in_bounded_memory()
    {
        int loaded = 0, rejected = 0;
        Gen.Select(NetworkGen, MutationGen.Array[1, 4]).Sample(
            (network, mutations) =>
            {
                byte[] document = Apply(Encoding.UTF8.GetBytes(NetworkSerializer.ToJson(network)), mutations);
                long before = GC.GetAllocatedBytesForCurrentThread();
                DenseNetwork? result = null;
                try
                {
                    result = NetworkSerializer.Load(new MemoryStream(document));
                    loaded++;
                }
                catch (InvalidDataException)
                {
                    rejected++;
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < HostileModelFileTests.AllocationBound(document.Length), $"{allocated} bytes allocated for a {document.Length}-byte document");
                if (result is not null)
                {
                    // Whatever loads is a valid, finite network that saves again.
                    Assert.All(result.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
                    Assert.NotEmpty(NetworkSerializer.ToJson(result));
                }
            },
            iter: 3000,
            threads: 1,
            print: t => $"{t.Item1} with {string.Join(", ", t.Item2)}");

        // The mutations are not all trivially fatal (a changed digit loads), nor all harmless.
        Assert.True(loaded > 0, "no mutated document loaded");
        Assert.True(rejected > loaded, $"only {rejected} of {loaded + rejected} mutated documents were rejected");
    }
}
