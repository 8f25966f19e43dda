"""Independent check of a PoreScope .pt: stock PyTorch loads it (torch.jit.load, card included), and an
eager forward written here from the spec's layer list, with the file's weights, gives Java's output.
argv: model.pt layers.json input.f32 java_output.f32 height width. Prints one JSON line."""
import json
import sys

import torch
import torch.nn.functional as F

model, layers_file, input_file, java_file, h, w = sys.argv[1:7]
h, w = int(h), int(w)
extra = {"porescope.json": ""}
m = torch.jit.load(model, _extra_files=extra)
card = json.loads(extra["porescope.json"])
spec = json.load(open(layers_file))
x = torch.frombuffer(bytearray(open(input_file, "rb").read()), dtype=torch.float32).reshape(1, 1, h, w)
java = torch.frombuffer(bytearray(open(java_file, "rb").read()), dtype=torch.float32).reshape(1, 2, h, w)
m.eval()
with torch.no_grad():
    jit_out = m(x)
    p = lambda name: getattr(m, name)
    t = {"x": x}
    for l in spec["layers"]:
        src = t[l["inputs"][0]]
        n, kind = l["name"], l["kind"]
        if kind == "CONV":
            k = l["kernel"]
            if l["batchNorm"]:
                y = F.conv2d(src, p(n + "_w"), None, 1, k // 2)
                y = (y - p(n + "_rm").view(1, -1, 1, 1)) / torch.sqrt(p(n + "_rv").view(1, -1, 1, 1) + 1e-5)
                y = y * p(n + "_g").view(1, -1, 1, 1) + p(n + "_b").view(1, -1, 1, 1)
            else:
                y = F.conv2d(src, p(n + "_w"), p(n + "_b"), 1, k // 2)
            if l["activation"] == "RELU":
                y = torch.clamp(y, min=0)
        elif kind == "MAX_POOL":
            y = F.max_pool2d(src, l["kernel"], 2, l["kernel"] // 2)
        elif kind == "UP_CONV":
            y = F.conv_transpose2d(src, p(n + "_w"), p(n + "_b"), 2)
            y = torch.where(y > 0, y, y * spec["leakySlope"])
        elif kind == "CONCAT":
            y = torch.cat([t[i] for i in l["inputs"]], 1)
        elif kind == "SOFTMAX":
            y = torch.softmax(src, 1)
        t[l["output"]] = y
        out = y
print(json.dumps({"card_name": card["name"], "jit_vs_java": float((jit_out - java).abs().max()),
                  "eager_vs_java": float((out - java).abs().max()), "training": m.training}))
