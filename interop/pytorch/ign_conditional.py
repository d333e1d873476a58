"""A class-conditional ign network (`ign train --conditional`) in PyTorch, for inference: seed 002's DCGANLikeModel
with the class parts of src/Ign/Models/CodeNetwork.cs beside it, under the names `ign export --format pytorch` writes
(label_code.weight, label_norm.weight, label_mlp_in/out.*, label_encoder.N.*, label_decoder.N.*). Written for Debian's python3-torch
(1.13); run with /usr/bin/python3.

    import ign_pytorch as ign, ign_conditional
    f = ign_conditional.load("ign-mnist-cond.pt").eval()
    sevens = f(torch.randn(8, 1, 28, 28), torch.full((8,), 7))   # label f.null_label: no class

f(x | y), y in 0 .. classes (classes = the null label):
    code = E_y(x)                      E: the network's encoder; a class's own copy for y ≠ null with classEncoder
    code += g_y * label_code[y]        g_y = classTableGain, nullRowGain for the null label
    code += MLP([code, onehot(y)])     with classCodeMlp > 0, zero on null rows
    f(x | y) = D_y(code)               D: the network's decoder; the classes' own copy for y ≠ null with classDecoder,
    after each decoder normalisation:  h <- h + h * gamma_y + beta_y, (gamma_y, beta_y) = g_y * label_norm[y] sliced
"""
import copy

import torch
from torch import nn

import ign_pytorch as ign
from seed002_model import DCGANLikeModel


class ConditionalIGN(DCGANLikeModel):
    def __init__(self, in_channels=1, base_c=64, classes=10, table_gain=10.0, null_row_gain=None, code_mlp=0,
                 norm_tables=True, own_encoder=False, own_decoder=False):
        super().__init__(in_channels=in_channels, base_c=base_c)
        if classes < 1:
            raise ValueError(f"a conditional network needs classes >= 1, got {classes}")
        self.classes, self.table_gain = classes, float(table_gain)
        self.null_row_gain = float(table_gain if null_row_gain is None else null_row_gain)
        code = base_c * 8
        self.norm_widths = [m.num_features for m in self.generator.main if isinstance(m, nn.BatchNorm2d)]
        self.label_code = nn.Embedding(classes + 1, code)
        self.label_norm = nn.Embedding(classes + 1, 2 * sum(self.norm_widths)) if norm_tables else None
        self.label_mlp_in = nn.Linear(code + classes + 1, code_mlp) if code_mlp > 0 else None
        self.label_mlp_out = nn.Linear(code_mlp, code) if code_mlp > 0 else None
        self.label_encoder = copy.deepcopy(self.discriminator.main) if own_encoder else None
        self.label_decoder = copy.deepcopy(self.generator.main) if own_decoder else None

    @property
    def null_label(self):
        return self.classes

    def forward(self, x, y=None):
        """x (B, C, 28, 28), y (B) int64 labels or None for no class -> (B, C, 28, 28)."""
        if y is None:
            y = torch.full((x.shape[0],), self.null_label, dtype=torch.int64, device=x.device)
        y = y.to(torch.int64).to(x.device)                                       # (B)
        is_null = y.eq(self.null_label)                                           # (B) bool
        code = by_label(self.discriminator.main, self.label_encoder, x, is_null)  # (B, 8c, 1, 1)
        gain = torch.full(y.shape, self.table_gain, dtype=code.dtype, device=x.device)
        gain = gain.masked_fill(is_null, self.null_row_gain).unsqueeze(1)         # (B, 1)
        conditioned = code + (self.label_code(y) * gain).unsqueeze(-1).unsqueeze(-1)
        if self.label_mlp_in is not None:
            onehot = nn.functional.one_hot(y, self.classes + 1).to(code.dtype)   # (B, classes + 1)
            hidden = torch.relu(self.label_mlp_in(torch.cat([code.flatten(1), onehot], 1)))
            classed = is_null.logical_not().to(code.dtype).unsqueeze(1)           # (B, 1), 0 on null rows
            conditioned = conditioned + (self.label_mlp_out(hidden) * classed).view(code.shape)
        norms = self.label_norm(y) * gain if self.label_norm is not None else None
        decoders = [None if layers is None else (lambda h, layers=layers: conditioned_decoder(layers, h, norms))
                    for layers in (self.generator.main, self.label_decoder)]
        return by_label(decoders[0], decoders[1], conditioned, is_null)                # (B, C, 28, 28)


def by_label(part, copy_, x, is_null):
    """As CodeNetwork.ByLabel: the null rows through part, the others through the classes' copy (when there is one),
    each only on a batch that needs it, both (then chosen) on a mixed one."""
    if copy_ is None or bool(is_null.all()):
        return part(x)
    if not bool(is_null.any()):
        return copy_(x)
    return torch.where(is_null.view(-1, 1, 1, 1), part(x), copy_(x))


def conditioned_decoder(layers, h, norms):
    """The decoder's layers, each normalisation's output scaled and shifted per image by its slice of norms."""
    offset = 0
    for layer in layers:
        h = layer(h)
        if norms is not None and isinstance(layer, nn.BatchNorm2d):
            width = layer.num_features
            gamma = norms[:, offset:offset + width].unsqueeze(-1).unsqueeze(-1)               # (B, F, 1, 1)
            beta = norms[:, offset + width:offset + 2 * width].unsqueeze(-1).unsqueeze(-1)    # (B, F, 1, 1)
            h = h + h * gamma + beta
            offset += 2 * width
    return h


def from_config(config, channels):
    """The network an export's sidecar config describes (config["conditional"] true)."""
    if config["model"] != "dcgan-mnist":
        raise SystemExit(f"error: model '{config['model']}' has no PyTorch twin here (only dcgan-mnist, seed 002's)")
    return ConditionalIGN(in_channels=channels, base_c=config["baseWidth"], classes=config["classes"],
                          table_gain=config["classTableGain"], null_row_gain=config.get("nullRowGain"),
                          code_mlp=config.get("classCodeMlp", 0), norm_tables=not config.get("noClassNorm", False),
                          own_encoder=config.get("classEncoder", False),
                          own_decoder=config.get("classDecoder", False))


def load(path):
    """A conditional model `ign export --format pytorch` wrote (its sidecar beside it), weights loaded strictly."""
    header = ign.read_sidecar(path)["header"]
    if not header["config"].get("conditional"):
        raise SystemExit(f"error: {path} is not class-conditional; load it into seed002_model.DCGANLikeModel")
    f = from_config(header["config"], header["channels"])
    f.load_state_dict(ign.load_state(path), strict=True)
    return f
