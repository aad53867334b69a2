"""Float32 islands for mixed-precision (AMP) training.

Under ``torch.autocast`` (MMEngine's ``AmpOptimWrapper``, ``mim train
--amp``) convolutions and matrix products run in float16/bfloat16. The
numerically sensitive parts (softmaxes, attention, the latent sampling, the
losses, the guidance branch) run in float32 inside :func:`float32`, as apex
O1 keeps softmax and losses in float32 for the official InfoGCN.
"""
import torch


def float32(tensor: torch.Tensor):
    """A context that switches autocast off on ``tensor``'s device.

    Cast the region's inputs with ``.float()``; outside autocast it changes
    nothing.
    """
    return torch.autocast(tensor.device.type, enabled=False)
