"""CrossGLG's calibration loss between JID output and key joints (Eq. 2)."""
import torch.nn.functional as F

from mmaction.models.losses import BaseWeightedLoss
from mmaction.registry import MODELS


@MODELS.register_module()
class JointCalibrationLoss(BaseWeightedLoss):
    """``MSE(k_out, k_gt)``, paper Eq. (2); the paper weights it by 0.5.

    ``k_out`` is a softmax over joints (it sums to 1), so a binary key-joint
    mask ``k_gt`` is by default normalised to sum to 1 per sample before the
    comparison; a sample without key joints then has an all-zero target.

    Args:
        normalize (bool): Turn binary masks into distributions.
            Defaults to True.
        loss_weight (float): Factor on the loss (alpha_1). Defaults to 1.0.
    """

    def __init__(self, normalize=True, loss_weight=1.0):
        super().__init__(loss_weight=loss_weight)
        self.normalize = normalize

    def _forward(self, k_out, k_gt):
        """k_out (N, V), k_gt (N, V) -> scalar."""
        if self.normalize:
            k_gt = k_gt / k_gt.sum(dim=-1, keepdim=True).clamp_min(1e-12)
        return F.mse_loss(k_out, k_gt.to(k_out))
