#!/usr/bin/env python3
"""Runs a PoreScope .ptl in PyTorch's lite interpreter (the phone's runtime code) and checks it.

    lite_check.py MODEL.ptl [--server MODEL.pt] [--tolerance 1e-4] [--write-outputs FILE.json]

- loads MODEL.ptl with torch.jit.mobile._load_for_lite_interpreter (the C++ mobile::Module that
  org.pytorch:pytorch_android_lite wraps with LiteModuleLoader.load on Android);
- runs the golden inputs stored in its porescope.json card (base64 little-endian float32) and
  compares the pore probability (output channel 1) with the server outputs stored beside them;
- with --server, also loads the server .pt with stock torch.jit.load, reads porescope.json through
  _extra_files, and checks the server model on the same golden inputs.
Exit 0: all within tolerance; 1: a difference above tolerance; 2: unusable file or no torch.
"""
import argparse
import base64
import json
import sys
import zipfile

try:
    import torch
    import torch.jit.mobile
except ImportError as e:  # pragma: no cover
    print("lite_check: PyTorch is not installed (%s); on Debian: apt-get install -y python3-torch" % e,
          file=sys.stderr)
    sys.exit(2)


def card_of(path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.split("/", 1)[-1] == "extra/porescope.json"]
        if not names:
            raise ValueError("%s has no porescope.json card" % path)
        return json.loads(z.read(names[0]).decode("utf-8"))


def floats(b64, h, w):
    raw = bytearray(base64.b64decode(b64))
    t = torch.frombuffer(raw, dtype=torch.float32)
    if sys.byteorder != "little":
        t = torch.from_numpy(t.numpy().byteswap())
    return t.clone().reshape(1, 1, h, w)


def encode(t):
    t = t.contiguous().to(torch.float32)
    if sys.byteorder != "little":
        t = torch.from_numpy(t.numpy().byteswap())
    return base64.b64encode(t.numpy().tobytes()).decode("ascii")


def run_golden(module, golden):
    diffs, outputs = [], []
    with torch.no_grad():
        for g in golden:
            x = floats(g["input"], g["height"], g["width"])
            y = module(x)
            if y.dim() != 4 or y.shape[1] < 2:
                raise ValueError("model output has shape %s, expected [1, classes, H, W]" % (tuple(y.shape),))
            p = y[0, 1]
            want = floats(g["probability"], g["height"], g["width"])[0, 0]
            diffs.append(float((p - want).abs().max()))
            outputs.append(encode(p))
    return diffs, outputs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ptl")
    ap.add_argument("--server", help="server TorchScript .pt to check with stock torch.jit.load")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--write-outputs", help="write the lite interpreter's outputs (JSON) here")
    a = ap.parse_args()

    try:
        card = card_of(a.ptl)
    except (OSError, zipfile.BadZipFile, ValueError) as e:
        print("lite_check: %s: %s" % (a.ptl, e), file=sys.stderr)
        return 2
    if card.get("runtime") != "ptl" or not card.get("golden"):
        print("lite_check: %s: card runtime %r with %d golden pairs; expected a PoreScope .ptl with golden pairs"
              % (a.ptl, card.get("runtime"), len(card.get("golden") or [])), file=sys.stderr)
        return 2

    version = torch.jit.mobile._get_model_bytecode_version(a.ptl)
    lite = torch.jit.mobile._load_for_lite_interpreter(a.ptl)
    diffs, outputs = run_golden(lite, card["golden"])
    worst = max(diffs)
    ok = worst <= a.tolerance
    print("lite interpreter (torch %s): %s bytecode v%d, %d golden pairs, max |lite - server| = %.3g (tolerance %g) %s"
          % (torch.__version__, a.ptl, version, len(diffs), worst, a.tolerance, "OK" if ok else "FAILED"))
    report = {"torch_version": torch.__version__, "bytecode_version": version,
              "max_abs_diff": worst, "per_pair": diffs, "outputs": outputs}

    if a.server:
        extra = {"porescope.json": ""}
        server = torch.jit.load(a.server, _extra_files=extra)
        server.eval()
        server_card = json.loads(extra["porescope.json"])
        if server_card.get("format") != card.get("format"):
            print("lite_check: %s: porescope.json read through _extra_files has format %r"
                  % (a.server, server_card.get("format")), file=sys.stderr)
            return 1
        sdiffs, _ = run_golden(server, card["golden"])
        sok = max(sdiffs) <= a.tolerance
        ok = ok and sok
        print("stock torch.jit.load (torch %s): %s card '%s' (runtime %s) via _extra_files, "
              "max |server here - server in Java| = %.3g %s"
              % (torch.__version__, a.server, server_card.get("name"), server_card.get("runtime"), max(sdiffs),
                 "OK" if sok else "FAILED"))
        report["server_max_abs_diff"] = max(sdiffs)
        report["server_card_name"] = server_card.get("name")

    if a.write_outputs:
        with open(a.write_outputs, "w") as f:
            json.dump(report, f)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
