"""CrossGLG's dual-branch head (paper Sec. 3.5-3.6)."""
import copy

import torch

from mmaction.registry import MODELS
from ..checks import check_loss_weights
from ..precision import float32
from .infogcn_head import InfoGCNHead, gt_labels

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


def derangement(n, generator=None):
    """A random permutation of ``range(n)`` that moves every index (n > 1)."""
    order = torch.randperm(n, generator=generator)
    perm = torch.empty_like(order)
    perm[order] = order.roll(1)
    return perm


def relative_change(changed, reference):
    """``||changed - reference|| / ||reference||`` over the whole batch."""
    return float((changed - reference).norm() /
                 reference.norm().clamp_min(1e-12))


@MODELS.register_module()
class CrossGLGHead(InfoGCNHead):
    """Skeleton branch + cross-modal guidance branch with a shared classifier.

    The skeleton branch is :class:`InfoGCNHead` (projector, sampled ``z``,
    classifier ``decoder``, its MMD and latent-norm losses) giving ``f_s``;
    the guidance branch (:class:`CrossModalGuidance`) turns the joint texts
    and the joint features into ``f_c``, which goes through the same
    classifier. Losses (paper Eq. 8)::

        loss_cls       = CE(decoder(f_s), y)                  (L_s)
        loss_c         = alpha_2 * CE(decoder(f_c), y)        (alpha_2 = 0.2)
        loss_calibrate = alpha_1 * calib(k_out, k_gt)         (alpha_1 = 0.5)

    both CE terms with the head's label smoothing. ``k_out`` comes from the
    backbone's JID (through :class:`CrossGLGRecognizer`); ``k_gt`` and the
    joint texts come from the data samples (fields ``key_joints`` and
    ``text_embedding``, see :class:`TextAnnotatedDataset`). ``predict`` and
    ``forward`` use the skeleton branch only and need no text.

    ``guidance`` and ``loss_calibrate`` take ``None`` for their default and
    ``False`` to switch them off (the paper's G2L-only and L2G-only
    ablations).

    Args:
        num_classes (int): Number of (base) classes.
        in_channels (int): Backbone output channels ``C_post``.
            Defaults to 256.
        guidance (dict | bool, optional): :class:`CrossModalGuidance` config
            without ``in_channels``/``out_channels`` (filled in); False: no
            guidance branch. Defaults to
            ``dict(type='CrossModalGuidance', text_channels=1536)``.
        loss_c (dict, optional): Loss of the guidance branch. Defaults to
            ``dict(type='CrossEntropyLoss', loss_weight=0.2)``.
        loss_calibrate (dict | bool, optional): JID calibration loss; False:
            none. Defaults to ``dict(type='JointCalibrationLoss',
            loss_weight=0.5)``.
        **kwargs: :class:`InfoGCNHead` arguments (``latent_channels``,
            ``loss_cls`` for L_s, ``loss_mmd``, ...).
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

    def loss(self, feats, data_samples, k_out=None, **kwargs):
        """:class:`InfoGCNHead` losses plus ``loss_c`` and
        ``loss_calibrate``."""
        losses = super().loss(feats, data_samples)
        if self.guidance is not None:
            labels = gt_labels(data_samples, feats.device)
            scores = self.classify(self.guidance(feats, self._text(
                data_samples, feats.device)))
            with float32(scores):
                losses['loss_c'] = self.loss_c(scores, self.targets(labels))
        if self.loss_calibrate is not None and k_out is not None:
            k_gt = stack_field(data_samples, KEY_JOINT_FIELD, 'CrossGLGHead')
            with float32(k_out):
                losses['loss_calibrate'] = self.loss_calibrate(
                    k_out.float(), k_gt.to(k_out.device))
        return losses

    @staticmethod
    def _text(data_samples, device):
        return stack_field(data_samples, TEXT_FIELD,
                           'CrossGLGHead').to(device)

    @torch.no_grad()
    def guidance_diagnostics(self, feats, data_samples, k_out=None,
                             generator=None):
        """How much the guidance branch reads the skeleton, and how JID
        agrees with the key joints, on one batch (docs/method.md).

        Args:
            feats (Tensor): Backbone features (N, M, C, T, V), N > 1.
            data_samples (list): The batch's samples with text fields.
            k_out (Tensor, optional): JID output (N, V).
            generator (torch.Generator, optional): For the permutations.

        Returns:
            dict: ``guidance/skeleton_dependence`` and
            ``guidance/text_dependence`` (relative change of ``f_c`` when the
            skeleton features, or the texts, are permuted within the batch),
            ``guidance/top1`` and ``guidance/top1_skeleton_permuted`` (the
            guidance branch's accuracy with the right and with another
            sample's skeleton); with ``k_out``: ``jid/cosine_key_joints``
            (mean cosine of ``k_out`` and ``k_gt``) and
            ``jid/effective_joints`` (mean ``exp(entropy(k_out))``).
        """
        stats = {}
        labels = gt_labels(data_samples, feats.device)
        if self.guidance is not None and len(data_samples) > 1:
            text = self._text(data_samples, feats.device)
            perm = derangement(len(data_samples), generator).to(feats.device)
            f_c = self.guidance(feats, text)
            f_c_skeleton = self.guidance(feats[perm], text)
            f_c_text = self.guidance(feats, text[perm])
            stats['guidance/skeleton_dependence'] = relative_change(
                f_c_skeleton, f_c)
            stats['guidance/text_dependence'] = relative_change(f_c_text, f_c)
            for name, f in (('top1', f_c),
                            ('top1_skeleton_permuted', f_c_skeleton)):
                correct = self.decoder(f).argmax(1) == labels
                stats[f'guidance/{name}'] = float(correct.float().mean())
        if k_out is not None and all(KEY_JOINT_FIELD in s
                                     for s in data_samples):
            k_gt = stack_field(data_samples, KEY_JOINT_FIELD,
                               'CrossGLGHead').to(k_out)
            cosine = torch.nn.functional.cosine_similarity(k_out, k_gt, -1)
            entropy = -(k_out * k_out.clamp_min(1e-12).log()).sum(-1)
            stats['jid/cosine_key_joints'] = float(cosine.mean())
            stats['jid/effective_joints'] = float(entropy.exp().mean())
        return stats
