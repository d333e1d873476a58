"""Cross-framework equivalence of ign (TorchSharp) and PyTorch on one seed-002 network (dropout off).

  equivalence.py check DIR        DIR holds ign's model.pt, inputs.pt (x, z) and ours.pt (its values, below):
                                  compute the same values in PyTorch and compare; exit 1 past the tolerance
  equivalence.py make DIR WIDTH DTYPE
                                  a DCGANLikeModel(base_c=WIDTH) with PyTorch's own initialisation and running
                                  statistics: writes model.pt, inputs.pt and theirs.pt (float32 or float64), for ign
  equivalence.py conditional DIR  DIR holds ign's conditional model.pt (sidecar beside it), inputs.pt (x, y) and
                                  ours.pt (f(x | y) with running and with batch statistics): compare, as check
  equivalence.py project MODEL PREFIX
                                  f(x) with batch statistics on PREFIX_x.idx (written by `ign project --raw PREFIX`),
                                  to 8-bit, against PREFIX_k1.idx: prints the largest difference in grey levels

The values: f(x) with running statistics (eval), f(x) with batch statistics, the three losses and the total of the
paper's objective (tanh clamp), the gradient of the total for every parameter, and every parameter after one Adam
step (lr 1e-3, betas 0.5 and 0.999), all in the dtype of x and z. Errors are relative: max |a - b| / max |b| per
tensor. In float64 every value must agree within 1e-9. In float32 f(x) and the losses must agree within 1e-5; the
gradients (about 1e-5: BatchNorm's backward sums in another order) and the Adam step are reported, not held to it:
Adam's first step moves every weight by about lr·sign(g), so a gradient element that is float32 rounding noise
(|g| ~ 1e-9) moves its weight by ±lr in either framework, a difference of 2·lr however right both are."""
import json
import sys

import torch

import ign_conditional
import ign_pytorch as ign

OBJECTIVE = {"distance": "l1", "lambdaRec": 20.0, "lambdaIdem": 20.0, "lambdaTight": 2.5,
             "clamp": "tanh", "clampA": 1.5, "scale": "reconstruction"}
LEARNING_RATE, BETAS = 1e-3, (0.5, 0.999)
TOLERANCES = {torch.float64: {"": 1e-9}, torch.float32: {"f_running": 1e-5, "f_batch": 1e-5, "loss": 1e-5}}


def values(f, x, z):
    """Every compared value, in ign's order of operations; f ends one Adam step later."""
    out = {}
    f.to(x.dtype)
    ign.dropout_off(f)
    f.eval()
    with torch.no_grad():
        out["f_running"] = f(x)
    f.train()
    ign.dropout_off(f)
    with torch.no_grad():
        out["f_batch"] = f(x)
    f_copy = ign.frozen_copy(f)
    losses = ign.ign_losses(f, f_copy, x, z, OBJECTIVE)
    for name, value in losses.items():
        out[f"loss.{name}"] = value.detach().reshape(1)
    adam = torch.optim.Adam(f.parameters(), lr=LEARNING_RATE, betas=BETAS, eps=1e-8)
    adam.zero_grad()
    losses["total"].backward()
    for name, p in f.named_parameters():
        out[f"grad.{name}"] = p.grad.detach().clone()
    adam.step()
    for name, p in f.named_parameters():
        out[f"adam.{name}"] = p.detach().clone()
    return out


def compare(ours, theirs):
    errors = {}
    for key, reference in theirs.items():
        if key not in ours:
            raise SystemExit(f"error: ign's values lack {key}")
        scale = reference.abs().max().item()
        errors[key] = (ours[key].double() - reference.double()).abs().max().item() / max(scale, 1e-30)
    return errors


def check(folder):
    state = ign.load_state(f"{folder}/model.pt")
    width = state["discriminator.main.0.weight"].shape[0]
    f = ign.DCGANLikeModel(in_channels=1, base_c=width)
    f.load_state_dict(state, strict=True)
    inputs = torch.load(f"{folder}/inputs.pt")
    errors = compare(torch.load(f"{folder}/ours.pt"), values(f, inputs["x"], inputs["z"]))
    report(errors, inputs["x"].dtype)


def conditional(folder):
    f = ign_conditional.load(f"{folder}/model.pt")
    inputs = torch.load(f"{folder}/inputs.pt")
    x, y = inputs["x"], inputs["y"]
    f.to(x.dtype)
    out = {}
    with torch.no_grad():
        f.eval()
        out["f_running"] = f(x, y)
        f.train()
        ign.dropout_off(f)
        out["f_batch"] = f(x, y)
    report(compare(torch.load(f"{folder}/ours.pt"), out), x.dtype)


def report(errors, dtype):
    """The largest error of each group of values; exit 1 where a held group passes its tolerance."""
    groups = {}
    for key, error in errors.items():
        group = key.split(".")[0]
        groups[group] = max(groups.get(group, 0.0), error)
    held = TOLERANCES[dtype]
    failed = {g: e for g, e in groups.items() if e > held.get(g, held.get("", float("inf")))}
    print(json.dumps({"dtype": str(dtype), "byGroup": groups, "tolerances": held, "failed": failed}))
    sys.exit(1 if failed else 0)


def make(folder, width, dtype):
    torch.manual_seed(0)
    f = ign.DCGANLikeModel(in_channels=1, base_c=width)
    ign.dropout_off(f)
    f.train()
    with torch.no_grad():  # running statistics that are not the initial 0 and 1
        for _ in range(3):
            f(torch.randn(16, 1, 28, 28).clamp(-1, 1))
    torch.save(f.state_dict(), f"{folder}/model.pt")
    x = (torch.rand(8, 1, 28, 28) * 2 - 1).to(dtype)
    z = torch.randn(8, 1, 28, 28).to(dtype)
    torch.save({"x": x, "z": z}, f"{folder}/inputs.pt")
    torch.save(values(f, x, z), f"{folder}/theirs.pt")


def project(model, prefix):
    state = ign.load_state(model)
    width = state["discriminator.main.0.weight"].shape[0]
    f = ign.DCGANLikeModel(in_channels=1, base_c=width)
    f.load_state_dict(state, strict=True)
    f.train()
    ign.dropout_off(f)
    x = ign.images_from_bytes(ign.read_idx_images(f"{prefix}_x.idx"))
    with torch.no_grad():
        ours = ign.to_bytes(f(x)).squeeze(1)
    theirs = ign.read_idx_images(f"{prefix}_k1.idx")
    difference = (ours.int() - theirs.int()).abs()
    print(json.dumps({"images": x.shape[0], "maxGreyLevels": difference.max().item(),
                      "pixelsDiffering": int((difference > 0).sum().item()), "pixels": difference.numel()}))
    sys.exit(0 if difference.max().item() <= 1 else 1)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "check" and len(sys.argv) == 3:
        check(sys.argv[2])
    elif command == "make" and len(sys.argv) == 5 and sys.argv[4] in ("float32", "float64"):
        make(sys.argv[2], int(sys.argv[3]), getattr(torch, sys.argv[4]))
    elif command == "conditional" and len(sys.argv) == 3:
        conditional(sys.argv[2])
    elif command == "project" and len(sys.argv) == 4:
        project(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
