"""InfoGCN's information-bottleneck regularisers (Chi et al., CVPR 2022)."""
import torch
import torch.nn.functional as F

from mmaction.models.losses import BaseWeightedLoss
from mmaction.registry import MODELS


@MODELS.register_module()
class MMDLoss(BaseWeightedLoss):
    """Pulls each class's mean latent towards its prior ``z_prior[class]``.

    ``MSE(mean_{i: y_i = c} z_i, z_prior[c])`` over the classes present in
    the batch (InfoGCN's ``get_mmd_loss``; weight ``lambda_2 = 0.1`` there).

    Args:
        loss_weight (float): Factor on the loss. Defaults to 1.0.
    """

    def _forward(self, z, labels, z_prior):
        """z (N, D), labels (N,) int, z_prior (K, D) -> scalar."""
        classes, inverse = torch.unique(labels, return_inverse=True)
        sums = z.new_zeros(len(classes), z.shape[1]).index_add_(0, inverse, z)
        counts = torch.bincount(inverse, minlength=len(classes)).to(z)
        return F.mse_loss(sums / counts[:, None], z_prior[classes])


@MODELS.register_module()
class LatentNormLoss(BaseWeightedLoss):
    """L2 norm of the batch-mean latent, ``||mean_i z_i||_2``.

    InfoGCN adds it with weight ``lambda_1 = 1e-4``.

    Args:
        loss_weight (float): Factor on the loss. Defaults to 1.0.
    """

    def _forward(self, z):
        norm = torch.linalg.vector_norm(z.mean(dim=0), ord=2)
        # BaseWeightedLoss scales the result in place, but the norm's
        # backward needs its own output: hand it a copy.
        return norm.clone()
