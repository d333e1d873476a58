"""The seed-002 IGN losses in PyTorch on formula-defined weights and inputs, to compare with
`ign bench --loss-check` (src/Ign/Benchmarks/LossCheck.cs). The model is the one of
../shared/bench/peer_pytorch_step.py. Usage: /usr/bin/python3 bench/peer_losses.py [width]

Weights are of realistic size, as a trained or freshly initialised network's: element i of the k-th parameter is
sqrt(2 / fan_in) * sin(0.37 i + k) for convolutions (fan_in = numel / shape[0]), 1 + 0.1 sin(0.37 i + k) for
BatchNorm's weight and 0.1 sin(0.37 i + k) for its bias. (The earlier 0.2 sin(...) everywhere made activations grow
layer by layer and BatchNorm divide by near-dead channels: float32 then moved idempotence by 0.6 % from float64 in
PyTorch itself, which is why ign and PyTorch differed by 0.5 % there.) Both float32 and float64 are printed."""
import copy, math, sys
import torch
from torch import nn

width = int(sys.argv[1]) if len(sys.argv) > 1 else 64

def enc(c):
    L = [nn.Conv2d(1, c, 4, 2, 1, bias=False), nn.Dropout2d(0.1), nn.LeakyReLU(0.2, True)]
    L += [nn.BatchNorm2d(c), nn.Conv2d(c, 2 * c, 4, 2, 1, bias=False), nn.Dropout2d(0.1), nn.LeakyReLU(0.2, True)]
    L += [nn.BatchNorm2d(2 * c), nn.Conv2d(2 * c, 4 * c, 3, 1, 0, bias=False), nn.Dropout2d(0.1), nn.LeakyReLU(0.2, True)]
    L += [nn.BatchNorm2d(4 * c), nn.Conv2d(4 * c, 8 * c, 3, 1, 0, bias=False), nn.Dropout2d(0.1), nn.LeakyReLU(0.2, True)]
    L += [nn.Conv2d(8 * c, 8 * c, 3, 1, 0, bias=False)]
    return nn.Sequential(*L)

def dec(c):
    L = []
    for i, o, k, s, p in [(c, c // 2, 3, 1, 0), (c // 2, c // 4, 3, 1, 0), (c // 4, c // 8, 3, 1, 0), (c // 8, c // 16, 4, 2, 1)]:
        L += [nn.BatchNorm2d(i), nn.ConvTranspose2d(i, o, k, s, p, bias=False), nn.Dropout2d(0.1), nn.ReLU(True)]
    L += [nn.ConvTranspose2d(c // 16, 1, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*L)

def losses(dtype):
    f = nn.Sequential(enc(width), dec(8 * width)).to(dtype)
    with torch.no_grad():
        for k, (name, p) in enumerate(f.named_parameters()):
            wave = torch.sin(0.37 * torch.arange(p.numel(), dtype=torch.float64) + k)
            if p.dim() > 1:
                value = math.sqrt(2 / (p.numel() / p.shape[0])) * wave
            else:
                value = (1 + 0.1 * wave) if name.endswith("weight") else 0.1 * wave
            p.copy_(value.reshape(p.shape))
    f_copy = copy.deepcopy(f)
    for p in f_copy.parameters():
        p.requires_grad_(False)
    f.train(); f_copy.train()
    for m in list(f.modules()) + list(f_copy.modules()):
        if isinstance(m, nn.Dropout2d):
            m.eval()
    i = torch.arange(8 * 28 * 28, dtype=torch.float64)
    x = torch.sin(0.1 * i).to(dtype).reshape(8, 1, 28, 28)
    z = (1.5 * torch.cos(0.07 * i)).to(dtype).reshape(8, 1, 28, 28)
    l1 = nn.L1Loss()
    fx = f(x); fz = f(z); fzd = fz.detach()
    rec = l1(fx, x); idem = l1(f_copy(fz), fz); tight = -l1(f(fzd), fzd)
    total = 20 * rec + 20 * idem + 2.5 * tight
    return rec.item(), idem.item(), tight.item(), total.item()

for dtype in (torch.float32, torch.float64):
    rec, idem, tight, total = losses(dtype)
    print(f"{str(dtype)[6:]} losses: rec {rec:.6f} idem {idem:.6f} tight {tight:.6f} total {total:.6f}")
