"""CrossGLG's dual-branch head (paper Sec. 3.5-3.6)."""
import copy

import torch
import torch.nn.functional as F

from mmaction.registry import MODELS
from ..checks import check_loss_weights
from .infogcn_head import InfoGCNHead

TEXT_FIELD = 'text_embedding'
KEY_JOINT_FIELD = 'key_joints'


def stack_field(data_samples, name, owner):
    """Stack a per-sample tensor field; a clear error when it is missing."""
    missing = [i for i, s in enumerate(data_samples) if name not in s]
    if missing:
        raise KeyError(
            f'{owner} needs the data-sample field {name!r} in training, but '
            f'{len(missing)} of {len(data_samples)} samples lack it. Train '
            'on a TextAnnotatedDataset and list the field in '
            f"PackActionInputs(algorithm_keys=('{TEXT_FIELD}', "
            f"'{KEY_JOINT_FIELD}')).")
    return torch.stack([torch.as_tensor(s.get(name)) for s in data_samples])


@MODELS.register_module()
class CrossGLGHead(InfoGCNHead):
    """Skeleton branch + cross-modal guidance branch with a shared classifier.

    The skeleton branch is InfoGCN's projector (pooling, ``fc``, ``mu`` /
    sampled ``z``; see :class:`InfoGCNHead`) giving ``f_s``; the guidance
    branch (:class:`CrossModalGuidance`) turns the joint texts and the
    joint features into ``f_c``. Both go through the same classifier
    (``decoder``). Losses (paper Eq. 8)::

        loss_s         = CE(decoder(f_s), y)
        loss_c         = alpha_2 * CE(decoder(f_c), y)        (alpha_2 = 0.2)
        loss_calibrate = alpha_1 * MSE(k_out, k_gt)           (alpha_1 = 0.5)

    plus InfoGCN's ``loss_mmd`` and ``loss_latent_norm`` on the skeleton
    branch. ``k_out`` comes from the backbone's JID (through
    :class:`CrossGLGRecognizer`); ``k_gt`` and the joint texts come from the
    data samples (fields ``key_joints`` and ``text_embedding``, see
    :class:`TextAnnotatedDataset`). ``predict`` and ``forward`` use the
    skeleton branch only and need no text.

    Args:
        num_classes (int): Number of (base) classes.
        in_channels (int): Backbone output channels ``C_post``.
            Defaults to 256.
        guidance (dict, optional): :class:`CrossModalGuidance` config without
            ``in_channels``/``out_channels`` (filled in). None disables the
            local-to-global branch (G2L-only ablation). Defaults to
            ``dict(type='CrossModalGuidance', text_channels=1536)``.
        loss_c (dict): Loss of the guidance branch. Defaults to
            ``dict(type='CrossEntropyLoss', loss_weight=0.2)``.
        loss_calibrate (dict, optional): JID calibration loss; None disables
            it. Defaults to ``dict(type='JointCalibrationLoss',
            loss_weight=0.5)``.
        **kwargs: :class:`InfoGCNHead` arguments (``latent_channels``,
            ``loss_cls`` for ``loss_s``, ``loss_mmd``, ...).
    """

    def __init__(self,
                 num_classes,
                 in_channels=256,
                 guidance=None,
                 loss_c=None,
                 loss_calibrate=None,
                 **kwargs):
        super().__init__(num_classes, in_channels, **kwargs)
        if guidance is None:
            guidance = dict(type='CrossModalGuidance', text_channels=1536)
        if loss_c is None:
            loss_c = dict(type='CrossEntropyLoss', loss_weight=0.2)
        if loss_calibrate is None:
            loss_calibrate = dict(type='JointCalibrationLoss', loss_weight=0.5)
        self.guidance = None
        if guidance:
            guidance = copy.deepcopy(guidance)
            guidance.update(
                in_channels=in_channels,
                out_channels=self.decoder.in_features)
            self.guidance = MODELS.build(guidance)
        self.loss_c = MODELS.build(loss_c)
        self.loss_calibrate = (
            MODELS.build(loss_calibrate) if loss_calibrate else None)
        check_loss_weights(type(self).__name__, loss_c=self.loss_c,
                           loss_calibrate=self.loss_calibrate)

    def _targets(self, data_samples, device):
        """Hard labels and (label-smoothed) CE targets."""
        labels = torch.cat([s.gt_label for s in data_samples]).to(device)
        targets = labels
        if self.label_smooth_eps:
            targets = F.one_hot(labels, self.num_classes).float()
            targets = ((1 - self.label_smooth_eps) * targets +
                       self.label_smooth_eps / self.num_classes)
        return labels, targets

    def loss(self, feats, data_samples, k_out=None, **kwargs):
        """Losses of both branches and the calibration loss."""
        latent = self.encode(feats)
        z = latent['z']
        labels, targets = self._targets(data_samples, z.device)
        scores = self.decoder(z)
        losses = dict(loss_s=self.loss_cls(scores, targets))
        losses['top1_acc'] = (scores.argmax(1) == labels).float().mean()
        if self.loss_mmd is not None:
            losses['loss_mmd'] = self.loss_mmd(z, labels, self.z_prior)
        if self.loss_latent_norm is not None:
            losses['loss_latent_norm'] = self.loss_latent_norm(z)
        if self.guidance is not None:
            text = stack_field(data_samples, TEXT_FIELD, 'CrossGLGHead')
            f_c = self.guidance(feats, text.to(z.device))
            losses['loss_c'] = self.loss_c(self.decoder(f_c), targets)
        if self.loss_calibrate is not None and k_out is not None:
            k_gt = stack_field(data_samples, KEY_JOINT_FIELD, 'CrossGLGHead')
            losses['loss_calibrate'] = self.loss_calibrate(
                k_out, k_gt.to(k_out.device))
        return losses
