"""CrossGLG's calibration loss between JID output and key joints (Eq. 2)."""
import torch.nn.functional as F

from mmaction.models.losses import BaseWeightedLoss
from mmaction.registry import MODELS


@MODELS.register_module()
class JointCalibrationLoss(BaseWeightedLoss):
    """``MSE(k_out, k_gt)``, paper Eq. (2); the paper weights it by 0.5.

    The paper's ``k_gt`` is binary (``K_j = 1`` for a key joint) while
    ``k_out`` is a softmax over joints, so the loss pulls the importance
    towards the key joints without a reachable minimum. With ``normalize``
    the mask is divided by its sum first (a distribution, as an unofficial
    re-implementation does; a sample without key joints then has an
    all-zero target).

    Args:
        normalize (bool): Turn binary masks into distributions.
            Defaults to False (the paper's binary target).
        loss_weight (float): Factor on the loss (alpha_1). Defaults to 1.0.
    """

    def __init__(self, normalize=False, loss_weight=1.0):
        super().__init__(loss_weight=loss_weight)
        self.normalize = normalize

    def _forward(self, k_out, k_gt):
        """k_out (N, V), k_gt (N, V) -> scalar."""
        if self.normalize:
            k_gt = k_gt / k_gt.sum(dim=-1, keepdim=True).clamp_min(1e-12)
        return F.mse_loss(k_out, k_gt.to(k_out))
