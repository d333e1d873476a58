"""The pieces of `ign` a PyTorch script needs: read what `ign export` writes (a state_dict in seed 002's names and
its JSON sidecar), build the network, and compute the IGN objective with the same gradient routing as
src/Ign/Objective/IgnObjective.cs. Written for Debian's python3-torch (1.13); run with /usr/bin/python3."""
import copy
import gzip
import json
import math
import os
import struct

import torch
from torch import nn

from seed002_model import DCGANLikeModel

SIDECAR_FORMAT = "ign-state-dict-sidecar"


def sidecar_path(path):
    return os.path.splitext(path)[0] + ".ign.json"


def load_state(path):
    """A state_dict from a .pt (torch.save) or a .safetensors file (read here: Debian has no safetensors module)."""
    if path.endswith(".safetensors"):
        return read_safetensors(path)
    state = torch.load(path, map_location="cpu")
    return state.get("state_dict", state) if isinstance(state, dict) else state


SAFETENSORS_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
                      "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
                      "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        index = json.loads(f.read(length))
        data = f.read()
    state = {}
    for key, entry in index.items():
        if key == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = SAFETENSORS_DTYPES[entry["dtype"]]
        flat = torch.frombuffer(bytearray(data[start:end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        state[key] = flat.reshape(entry["shape"]).clone()
    return state


def write_safetensors(path, state):
    """The inverse of read_safetensors, atomically."""
    index, blobs, offset = {}, [], 0
    dtype_names = {v: k for k, v in SAFETENSORS_DTYPES.items()}
    for key, tensor in state.items():
        blob = tensor.detach().cpu().contiguous().numpy().tobytes()
        index[key] = {"dtype": dtype_names[tensor.dtype], "shape": list(tensor.shape),
                      "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header = json.dumps(index).encode()
    header += b" " * (-len(header) % 8)
    temp = f"{path}.tmp-{os.getpid()}"
    with open(temp, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + b"".join(blobs))
    os.replace(temp, path)


def save_state(path, state):
    """torch.save or safetensors by extension, atomically (temp file + rename)."""
    if path.endswith(".safetensors"):
        return write_safetensors(path, state)
    temp = f"{path}.tmp-{os.getpid()}"
    torch.save(state, temp)
    os.replace(temp, path)


def read_sidecar(path):
    with open(sidecar_path(path)) as f:
        sidecar = json.load(f)
    if sidecar.get("format") != SIDECAR_FORMAT:
        raise SystemExit(f"error: {sidecar_path(path)} is not an ign sidecar")
    return sidecar


def write_sidecar(path, sidecar):
    temp = f"{sidecar_path(path)}.tmp-{os.getpid()}"
    with open(temp, "w") as f:
        json.dump(sidecar, f, indent=2)
    os.replace(temp, sidecar_path(path))


def build_model(config, channels):
    """Seed 002's DCGANLikeModel at the config's width: the architecture `ign` calls dcgan-mnist."""
    if config.get("conditional"):
        raise SystemExit("error: a class-conditional model: continue its training with ign train --init-from "
                         "MODEL.pt; ign_conditional.load gives the network for inference")
    if config["model"] != "dcgan-mnist":
        raise SystemExit(f"error: model '{config['model']}' has no PyTorch twin here (only dcgan-mnist, seed 002's)")
    return DCGANLikeModel(in_channels=channels, base_c=config["baseWidth"])


def dropout_off(model):
    for m in model.modules():
        if isinstance(m, nn.Dropout2d):
            m.eval()


def per_sample(a, b, distance):
    """D reduced over every dimension but the batch: (B, ...) -> (B)."""
    diff = a - b
    pointwise = diff.abs() if distance == "l1" else diff.square()
    return pointwise.flatten(1).mean(1)


def ign_losses(f, f_copy, x, z, objective, tight_scale=1.0):
    """rec = D(f(x), x); idem = D(f'(f(z)), f(z)) with f' frozen; tight = -D(f(f(z).detach()), f(z).detach())."""
    distance = objective["distance"]
    fx = f(x)                                                # (B, C, H, W)
    fz = f(z)                                                # (B, C, H, W)
    fz_detached = fz.detach()
    rec = per_sample(fx, x, distance)                        # (B)
    idem = per_sample(f_copy(fz), fz, distance)              # (B)
    tight = -per_sample(f(fz_detached), fz_detached, distance)  # (B)
    if objective["clamp"] == "tanh":
        scale = {"reconstruction": rec, "reconstructionDetached": rec.detach(),
                 "noise": per_sample(fz_detached, z, distance)}[objective["scale"]]
        bound = scale.clamp_min(1e-6) * objective["clampA"]
        tight = torch.tanh(tight / bound) * bound
    rec, idem, tight = rec.mean(), idem.mean(), tight.mean()
    total = rec * objective["lambdaRec"] + idem * objective["lambdaIdem"] + tight * (objective["lambdaTight"] * tight_scale)
    return {"rec": rec, "idem": idem, "tight": tight, "total": total}


def frozen_copy(f):
    twin = copy.deepcopy(f)
    for p in twin.parameters():
        p.requires_grad_(False)
    return twin


def learning_rate_at(config, step, total_steps):
    """TrainConfig.LearningRateAt: constant, or cosine from lrDecayFrom down to lrFloor x lr at the last step."""
    lr, start = config["learningRate"], config["lrDecayFrom"]
    if config["lrSchedule"] != "cosine" or total_steps <= 1 or step < start:
        return lr
    progress = min(1.0, (step - start) / max(1, total_steps - 1 - start))
    floor = config["lrFloor"]
    return lr * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


def tightness_scale_at(config, step):
    """TrainConfig.TightnessScaleAt: a linear warm-up, then the late factor from tightLateFrom on."""
    warmup = config["tightnessWarmup"]
    scale = min(1.0, (step + 1.0) / warmup) if warmup > 0 else 1.0
    late = config["tightnessLateFrom"]
    return scale * config["tightnessLateFactor"] if late > 0 and step >= late else scale


def read_idx_images(path):
    """An unsigned-byte IDX file (optionally gzipped), as a uint8 tensor (N, H, W) or (N, H, W, C)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise SystemExit(f"error: {path} is not an unsigned-byte IDX file")
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def images_from_bytes(raw):
    """uint8 (N, H, W) -> float (N, 1, H, W) in [-1, 1], as ign's data sets do (b / 127.5 - 1)."""
    return (raw.float() / 127.5 - 1).unsqueeze(1)


def to_bytes(images):
    """ign's ImageGrid.ToBytes: round((clamp(x, -1, 1) + 1) * 127.5)."""
    return ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
