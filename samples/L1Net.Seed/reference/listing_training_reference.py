#!/usr/bin/env python3
"""Pure-Python re-implementation of the seed article's training run (no numpy needed).

Trains the listing's 10-8-4 network on the article's data exactly as the published listing does,
emulating its numpy float32 arrays with struct rounding and the numpy of 2017's scalar promotion
(a numpy float32 scalar combined with a Python int or float gives a float64, which is rounded to
float32 only when it is stored into a float32 array). This is the oracle the C# demo
(samples/L1Net.Demo) is compared with; see docs/seed-reproduction.md.

What it follows, per sample (SEED.md):
  forward: float32 products and sums, tanh (exactly -1/1 beyond -20/20) in double stored as
           float32, softmax with the float32 max subtracted in float32, exp and divisor in double;
  output signal  oSig_k = f32(((1 - o_k) * o_k) * f32(t_k - o_k))   (double product, the diagonal
           of the softmax Jacobian, "t - o" sign);
  hidden signal  hSig_j = f32((1 - h_j) * (1 + h_j) * sum_k f32(oSig_k * ho_jk))   (double sum,
           hidden-to-output weights from before the step);
  gradients      f32(signal * input) (float32 product), biases f32(signal);
  "L1" (sign error, weights only): g = f32(g + lamda) if w > 0, f32(g - lamda) if w < 0;
  update         w = f32(w + 0.01 * g)   (0.01 * g and the sum in double).
  The L1 run starts from a fresh random.Random(0), like the listing's new NeuralNetwork(seed=0).

Run:
    python3 listing_training_reference.py            # both runs (no L1, then L1 0.001), about 2 x 3 minutes
    python3 listing_training_reference.py --l1 0     # only the run without L1
    python3 listing_training_reference.py --l1 1     # only the L1 run
It prints, for every 100 epochs, the ms error with 10 digits, then the accuracies, sum |w| over
the weights and the bit pattern of the first weights.
"""
import math
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_data_reference import make_rows, hypertan  # noqa: E402

NI, NH, NO = 10, 8, 4
_F = struct.Struct('<f')


def f32(x):
    return _F.unpack(_F.pack(x))[0]


def f32_bits(x):
    return struct.unpack('<I', _F.pack(x))[0]


class Net:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        lo, hi = -0.01, 0.01
        w = [f32((hi - lo) * self.rnd.random() + lo) for _ in range(NI * NH + NH + NH * NO + NO)]
        self.ih = [[w[i * NH + j] for j in range(NH)] for i in range(NI)]
        self.hb = w[NI * NH:NI * NH + NH]
        base = NI * NH + NH
        self.ho = [[w[base + j * NO + k] for k in range(NO)] for j in range(NH)]
        self.ob = w[base + NH * NO:]

    def forward(self, x):
        h = []
        for j in range(NH):
            s = 0.0
            for i in range(NI):
                s = f32(s + f32(x[i] * self.ih[i][j]))
            s = f32(s + self.hb[j])
            h.append(f32(hypertan(s)))
        o = []
        for k in range(NO):
            s = 0.0
            for j in range(NH):
                s = f32(s + f32(h[j] * self.ho[j][k]))
            o.append(f32(s + self.ob[k]))
        m = max(o)
        divisor = 0.0
        for k in range(NO):
            divisor += math.exp(f32(o[k] - m))
        return h, [f32(math.exp(f32(o[k] - m)) / divisor) for k in range(NO)]

    def train(self, rows, epochs, rate, lamda):
        indices = list(range(len(rows)))
        errors = []
        for epoch in range(1, epochs + 1):
            self.rnd.shuffle(indices)
            for idx in indices:
                x, label = rows[idx]
                h, o = self.forward(x)
                o_sig = [f32(((1 - o[k]) * o[k]) * f32((1.0 if k == label else 0.0) - o[k])) for k in range(NO)]
                ho_g = [[f32(o_sig[k] * h[j]) for k in range(NO)] for j in range(NH)]
                h_sig = []
                for j in range(NH):
                    s = 0.0
                    for k in range(NO):
                        s += f32(o_sig[k] * self.ho[j][k])
                    h_sig.append(f32((1 - h[j]) * (1 + h[j]) * s))
                ih_g = [[f32(h_sig[j] * x[i]) for j in range(NH)] for i in range(NI)]
                if lamda:
                    for i in range(NI):
                        for j in range(NH):
                            w = self.ih[i][j]
                            if w > 0.0:
                                ih_g[i][j] = f32(ih_g[i][j] + lamda)
                            elif w < 0.0:
                                ih_g[i][j] = f32(ih_g[i][j] - lamda)
                    for j in range(NH):
                        for k in range(NO):
                            w = self.ho[j][k]
                            if w > 0.0:
                                ho_g[j][k] = f32(ho_g[j][k] + lamda)
                            elif w < 0.0:
                                ho_g[j][k] = f32(ho_g[j][k] - lamda)
                for i in range(NI):
                    row, g = self.ih[i], ih_g[i]
                    for j in range(NH):
                        row[j] = f32(row[j] + rate * g[j])
                for j in range(NH):
                    self.hb[j] = f32(self.hb[j] + rate * h_sig[j])
                for j in range(NH):
                    row, g = self.ho[j], ho_g[j]
                    for k in range(NO):
                        row[k] = f32(row[k] + rate * g[k])
                for k in range(NO):
                    self.ob[k] = f32(self.ob[k] + rate * o_sig[k])
            if epoch % 100 == 0:
                errors.append((epoch, self.ms_error(rows)))
                print('epoch = %d ms error = %.4f  (%.10f)' % (epoch, errors[-1][1], errors[-1][1]), flush=True)
        return errors

    def ms_error(self, rows):
        total = 0.0
        for x, label in rows:
            _, o = self.forward(x)
            for k in range(NO):
                err = f32((1.0 if k == label else 0.0) - o[k])
                total += f32(err * err)
        return total / len(rows)

    def accuracy(self, rows):
        right = 0
        for x, label in rows:
            _, o = self.forward(x)
            best = 0
            for k in range(1, NO):
                if o[k] > o[best]:
                    best = k
            right += best == label
        return right / len(rows)

    def weight_l1(self):
        return sum(abs(w) for r in self.ih for w in r) + sum(abs(w) for r in self.ho for w in r)


def main():
    train = make_rows(3, 16, 200)
    test = make_rows(3, 18, 40)
    runs = [0, 1]
    if '--l1' in sys.argv:
        runs = [int(sys.argv[sys.argv.index('--l1') + 1])]
    for use_l1 in runs:
        lamda = 0.001 if use_l1 else 0.0
        print('run', 'with L1 (lamda = 0.001)' if use_l1 else 'without L1', flush=True)
        net = Net(0)
        net.train(train, 500, 0.01, lamda)
        print('accuracy train %.4f test %.4f' % (net.accuracy(train), net.accuracy(test)))
        print('sum |w| over weights %.6f' % net.weight_l1())
        print('first weights ih[0][0..2] bits', ['%08x' % f32_bits(w) for w in net.ih[0][:3]], flush=True)


if __name__ == '__main__':
    main()
