"""CrossGLG's calibration loss between JID output and key joints (Eq. 2)."""
import torch
from mmaction.models.losses import BaseWeightedLoss
from mmaction.registry import MODELS

CRITERIA = ('mse', 'kl')
JOINT_REDUCTIONS = ('mean', 'sum')
EPS = 1e-8


@MODELS.register_module()
class JointCalibrationLoss(BaseWeightedLoss):
    """Pulls the joint importance ``k_out`` towards the key joints ``k_gt``.

    The paper (Eq. 2) writes ``MSE(k_out, k_gt)`` with a binary ``k_gt``
    (``K_j = 1`` for a key joint) and weights it by 0.5. ``k_out`` is a
    softmax over the ``V`` joints, so averaged over joints this is a weak
    pull (its gradient is ``~1/V``) towards a target it cannot reach.
    The forms offered, per sample, then averaged over the batch:

    - ``criterion='mse'``: squared error per joint, averaged
      (``joint_reduction='mean'``, the paper) or summed over joints;
      ``normalize`` divides the mask by its sum first (a distribution).
    - ``criterion='kl'``: ``KL(k_gt / sum(k_gt) || k_out)``, the
      divergence of ``k_out`` from the normalised key-joint distribution
      (samples without key joints are skipped); its gradient with respect
      to JID's logits is ``k_out - target``.

    Args:
        criterion (str): 'mse' or 'kl'. Defaults to 'mse'.
        normalize (bool): For 'mse', compare with the mask divided by its
            sum (a sample without key joints then has an all-zero target).
            Defaults to False (the paper's binary target).
        joint_reduction (str, optional): 'mean' or 'sum' of the per-joint
            terms. Defaults to None: 'mean' for 'mse' (the paper), 'sum'
            for 'kl' (the divergence).
        loss_weight (float): Factor on the loss (alpha_1). Defaults to 1.0.
    """

    def __init__(self, criterion='mse', normalize=False,
                 joint_reduction=None, loss_weight=1.0):
        super().__init__(loss_weight=loss_weight)
        if criterion not in CRITERIA:
            raise ValueError(f'JointCalibrationLoss: criterion must be one '
                             f'of {CRITERIA}, got {criterion!r}')
        if joint_reduction is None:
            joint_reduction = 'sum' if criterion == 'kl' else 'mean'
        if joint_reduction not in JOINT_REDUCTIONS:
            raise ValueError(f'JointCalibrationLoss: joint_reduction must be '
                             f'one of {JOINT_REDUCTIONS}, got '
                             f'{joint_reduction!r}')
        self.criterion = criterion
        self.normalize = normalize
        self.joint_reduction = joint_reduction

    def _forward(self, k_out, k_gt):
        """k_out (N, V), k_gt (N, V) -> scalar."""
        k_gt = k_gt.to(k_out)
        total = k_gt.sum(dim=-1, keepdim=True)
        if self.criterion == 'kl':
            # Clamped at the smallest normal float only, so that a JID
            # softmax saturated far below 1e-8 on the key joints still gets
            # the pull k_out - target (a larger floor would cut it).
            tiny = torch.finfo(k_out.dtype).tiny
            target = k_gt / total.clamp_min(EPS)
            terms = target * (target.clamp_min(tiny).log() -
                              k_out.clamp_min(tiny).log())
            keep = total.squeeze(-1) > 0
            return self._reduce(terms[keep]) if keep.any() else \
                k_out.sum() * 0
        if self.normalize:
            k_gt = k_gt / total.clamp_min(EPS)
        return self._reduce((k_out - k_gt)**2)

    def _reduce(self, terms):
        per_sample = terms.sum(-1) if self.joint_reduction == 'sum' else \
            terms.mean(-1)
        return per_sample.mean()
