#!/usr/bin/env python3
"""Pure-Python reference for L1Net.Seed's PyRandom and SeedData (no numpy needed).

Reproduces the seed article's synthetic data ("Neural Network L1 Regularization Using Python",
J. McCaffrey, 2017) with CPython's own random.Random, emulating the listing's numpy float32
arrays by rounding every float32 operation through struct.pack('f'). (A float32 product or sum
computed in double and then rounded to float32 is the correctly rounded float32 result, so this
equals numpy's float32 arithmetic.)

Run:
    python3 seed_data_reference.py          # summary: SEED.md check values, first rows, label counts
    python3 seed_data_reference.py --dump   # one line per row: set, index, label, 10 float32 bit patterns (hex)

The --dump output is compared line for line with the same dump written by the C# port
(SeedData.Train()/Test(), features via BitConverter.SingleToUInt32Bits, formatted "x8").
"""
import math
import random
import struct
import sys

NI, NH, NO = 10, 15, 4
NPARAMS = NI * NH + NH + NH * NO + NO  # 229


def f32(x):
    """Round a Python float (double) to the nearest float32, as numpy does on assignment."""
    return struct.unpack('<f', struct.pack('<f', x))[0]


def f32_bits(x):
    return struct.unpack('<I', struct.pack('<f', x))[0]


def generator_parameters(seed):
    # The listing: (hi - lo) * rnd.random() + lo with lo = -9.9, hi = 9.9; identical doubles to
    # CPython's uniform(-9.9, 9.9) = -9.9 + 19.8 * random() and to 19.8 * random() - 9.9.
    rnd = random.Random(seed)
    lo, hi = -9.9, 9.9
    params = []
    for _ in range(NPARAMS):
        params.append(f32((hi - lo) * rnd.random() + lo))
    return params


def check_uniform_forms():
    """The three ways of writing the weight draw give the same double, bit for bit."""
    a, b = random.Random(3), random.Random(3)
    for _ in range(100000):
        r = a.random()
        u = b.uniform(-9.9, 9.9)
        assert u == (9.9 - (-9.9)) * r + (-9.9) == 19.8 * r - 9.9 == -9.9 + 19.8 * r
    c, d = random.Random(16), random.Random(16)
    for _ in range(100000):
        r = c.random()
        assert d.uniform(-8.0, 8.0) == 16.0 * r - 8.0 == (8.0 - (-8.0)) * r + (-8.0)


def hypertan(x):
    if x < -20.0:
        return -1.0
    if x > 20.0:
        return 1.0
    return math.tanh(x)


def forward_listing(p, x):
    """computeOutputs of the listing: float32 sums and products, tanh/exp/divisor in double."""
    ho, hb, ob = NI * NH + NH, NI * NH, NI * NH + NH + NH * NO
    h = []
    for j in range(NH):
        s = f32(0.0)
        for i in range(NI):
            s = f32(s + f32(x[i] * p[i * NH + j]))
        s = f32(s + p[hb + j])
        h.append(f32(hypertan(s)))
    o = []
    for k in range(NO):
        s = f32(0.0)
        for j in range(NH):
            s = f32(s + f32(h[j] * p[ho + j * NO + k]))
        o.append(f32(s + p[ob + k]))
    m = max(o)
    divisor = 0.0
    for k in range(NO):
        divisor += math.exp(f32(o[k] - m))
    return [f32(math.exp(f32(o[k] - m)) / divisor) for k in range(NO)]


def forward_float64(p, x):
    """The same network in plain double (to show the labels do not depend on the precision)."""
    ho, hb, ob = NI * NH + NH, NI * NH, NI * NH + NH + NH * NO
    h = [hypertan(sum(x[i] * p[i * NH + j] for i in range(NI)) + p[hb + j]) for j in range(NH)]
    o = [sum(h[j] * p[ho + j * NO + k] for j in range(NH)) + p[ob + k] for k in range(NO)]
    m = max(o)
    e = [math.exp(v - m) for v in o]
    s = sum(e)
    return [v / s for v in e]


def argmax(values):
    best = 0
    for k in range(1, len(values)):
        if values[k] > values[best]:
            best = k
    return best


def make_rows(seed_for_generator, seed_for_rows, row_count, forward=forward_listing):
    p = generator_parameters(seed_for_generator)
    rnd = random.Random(seed_for_rows)
    lo, hi = -8.0, 8.0
    rows = []
    for _ in range(row_count):
        x = [f32((hi - lo) * rnd.random() + lo) for _ in range(NI)]
        rows.append((x, argmax(forward(p, x))))
    return rows


def main():
    train = make_rows(3, 16, 200)
    test = make_rows(3, 18, 40)
    if '--dump' in sys.argv:
        for name, rows in (('train', train), ('test', test)):
            for r, (x, label) in enumerate(rows):
                print(name, r, label, ' '.join('%08x' % f32_bits(v) for v in x))
        return

    check_uniform_forms()
    # SEED.md check values.
    assert random.Random(0).random() == 0.8444218515250481
    r0 = random.Random(0); r0.random()
    assert r0.random() == 0.7579544029403025
    assert random.Random(3).random() == 0.23796462709189137
    assert random.Random(16).random() == 0.36152277491407514
    assert random.Random(18).random() == 0.18126486333322134
    assert random.Random(42).random() == 0.6394267984578837
    lst = list(range(10)); random.Random(0).shuffle(lst)
    assert lst == [7, 8, 1, 5, 3, 4, 2, 0, 9, 6], lst
    g = random.Random(0)
    assert [g.getrandbits(8) for _ in range(5)] == [216, 98, 194, 227, 107]
    expected_first = [-2.2156, -0.3123, -1.3288, -0.8519, -1.4477, 2.5233, -3.8583, 2.1599, -7.8379, -3.1673]
    assert [round(v, 4) for v in train[0][0]] == expected_first, train[0][0]
    assert train[0][1] == 0 and train[1][1] == 1

    # The labels do not depend on the forward's precision.
    for (a, b) in ((train, make_rows(3, 16, 200, forward_float64)), (test, make_rows(3, 18, 40, forward_float64))):
        assert [l for _, l in a] == [l for _, l in b]

    p = generator_parameters(3)
    print('generator parameters (float32): first 3', [repr(v) for v in p[:3]], 'last', repr(p[-1]))
    print('generator parameter bits: first 3', ['%08x' % f32_bits(v) for v in p[:3]], 'last', '%08x' % f32_bits(p[-1]))
    for name, rows in (('train', train), ('test', test)):
        counts = [0] * NO
        for _, l in rows:
            counts[l] += 1
        print(name, 'rows', len(rows), 'label counts', counts)
        for r in range(2):
            x, l = rows[r]
            print('  row', r, 'label', l, 'features', [repr(v) for v in x])
            print('         bits', ['%08x' % f32_bits(v) for v in x])
        print('  first 20 labels', [l for _, l in rows[:20]])
    print('all checks passed')


if __name__ == '__main__':
    main()
