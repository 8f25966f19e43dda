#!/usr/bin/env python3
"""PyTorch-Python side of `porescope bench train`.

Builds the same U-Net as PoreScope's Java trainer by walking the same topology (the layer list
of UNetSpec.layers(), passed as JSON), trains it with the same loss (class-weighted per-pixel
cross-entropy + soft Dice) and Adam on a fixed random batch, and times whole-image inference.
Prints one JSON line: {"train": [seconds...], "infer": [seconds...], "torch": version, "threads": n}.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F


class UNet(torch.nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.layers = spec["layers"]
        self.slope = spec["leakySlope"]
        g = torch.Generator().manual_seed(1)
        for p in spec["parameters"]:
            shape = p["shape"]
            role = p["role"]
            if role in ("CONV_WEIGHT", "UP_WEIGHT"):
                t = torch.randn(shape, generator=g) * (2.0 / p["fanIn"]) ** 0.5
            elif role in ("BN_WEIGHT", "BN_VAR"):
                t = torch.ones(shape)
            else:
                t = torch.zeros(shape)
            if role in ("BN_MEAN", "BN_VAR"):
                self.register_buffer(p["name"], t)
            else:
                self.register_parameter(p["name"], torch.nn.Parameter(t))

    def p(self, name):
        return getattr(self, name)

    def logits(self, x):
        t = {"x": x}
        out = x
        for l in self.layers:
            kind = l["kind"]
            src = t[l["inputs"][0]]
            n = l["name"]
            if kind == "CONV":
                k = l["kernel"]
                if l["batchNorm"]:
                    y = F.conv2d(src, self.p(n + "_w"), None, 1, k // 2)
                    y = F.batch_norm(y, self.p(n + "_rm"), self.p(n + "_rv"), self.p(n + "_g"), self.p(n + "_b"),
                                     self.training, 0.1, 1e-5)
                else:
                    y = F.conv2d(src, self.p(n + "_w"), self.p(n + "_b"), 1, k // 2)
                if l["activation"] == "RELU":
                    y = F.relu(y)
            elif kind == "MAX_POOL":
                k = l["kernel"]
                y = F.max_pool2d(src, k, 2, k // 2)
            elif kind == "UP_CONV":
                y = F.leaky_relu(F.conv_transpose2d(src, self.p(n + "_w"), self.p(n + "_b"), 2), self.slope)
            elif kind == "CONCAT":
                y = torch.cat([t[i] for i in l["inputs"]], 1)
            elif kind == "SOFTMAX":
                break
            t[l["output"]] = y
            out = y
        return out

    def forward(self, x):
        return torch.softmax(self.logits(x), 1)


def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True, help="JSON file: layers, parameters, leakySlope")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--infer-reps", type=int, default=3)
    ap.add_argument("--dice-weight", type=float, default=0.5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    with open(a.spec) as f:
        spec = json.load(f)
    net = UNet(spec)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    n, p = a.batch, a.patch
    x = torch.randn(n, 1, p, p, generator=g)
    pore = (torch.rand(n, 1, p, p, generator=g) < 0.1).float()
    one_hot = torch.cat([1 - pore, pore], 1)
    weight = 1 + 2 * pore
    roi = torch.ones(n, 1, p, p)
    train = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        logp = torch.log_softmax(net.logits(x), 1)
        ce = -(logp * one_hot).sum(1, keepdim=True)
        loss = (ce * weight).sum() / weight.sum()
        if a.dice_weight > 0:
            prob = logp[:, 1:2].exp() * roi
            dice = 1 - (2 * (prob * pore).sum() + 1) / (prob.sum() + (pore * roi).sum() + 1)
            loss = loss + a.dice_weight * dice
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
        if i >= a.warmup:
            train.append(time.perf_counter() - t0)
    net.eval()
    infer = []
    image = torch.randn(1, 1, a.size, a.size, generator=g)
    with torch.no_grad():
        for i in range(1 + a.infer_reps):
            t0 = time.perf_counter()
            net(image)[:, 1].contiguous()
            if i >= 1:
                infer.append(time.perf_counter() - t0)
    print(json.dumps({"train": train, "infer": infer, "train_median": median(train), "infer_median": median(infer),
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
