"""Joint Importance Determination (JID), CrossGLG paper Sec. 3.4."""
import torch
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS
from ..precision import float32

JID_POSITIONS = ('post_input', 'post_output')
JID_WEIGHTS = ('softmax', 'mean_one')
JID_KEYS = ('after_block', 'hidden_channels', 'apply_to', 'weights')


def check_importance_cfg(importance, num_stages, owner):
    """Validate a backbone's ``importance`` dict before anything is built.

    Args:
        importance (dict): ``after_block`` (N_pre, 1..num_stages) and
            optionally ``hidden_channels`` and ``apply_to``.
        num_stages (int): Number of encoder blocks.
        owner (str): Backbone name for the error message.
    """
    unknown = set(importance) - set(JID_KEYS)
    if unknown:
        raise ValueError(f'{owner} importance: unknown keys {sorted(unknown)}'
                         f'; expected {", ".join(JID_KEYS)}')
    after = importance.get('after_block')
    if isinstance(after, bool) or not isinstance(after, int) \
            or not 1 <= after <= num_stages:
        raise ValueError(f'{owner} importance.after_block must be an integer '
                         f'in 1..{num_stages} (N_pre), got {after!r}')
    hidden = importance.get('hidden_channels')
    if hidden is not None and (isinstance(hidden, bool)
                               or not isinstance(hidden, int) or hidden < 1):
        raise ValueError(f'{owner} importance.hidden_channels must be a '
                         f'positive integer or None, got {hidden!r}')
    apply_to = importance.get('apply_to', 'post_output')
    if apply_to not in JID_POSITIONS:
        raise ValueError(f'{owner} importance.apply_to must be one of '
                         f'{JID_POSITIONS}, got {apply_to!r}')
    weights = importance.get('weights', 'softmax')
    if weights not in JID_WEIGHTS:
        raise ValueError(f'{owner} importance.weights must be one of '
                         f'{JID_WEIGHTS}, got {weights!r}')


@MODELS.register_module()
class JointImportance(BaseModule):
    """Predicts how important each joint is for the action.

    The features after block ``after_block`` (``N_pre``) are pooled over
    time and persons (``f̄_pre``, (N, V, C)), passed through two linear layers
    with a ReLU between them (shared by all joints) and a softmax over
    joints, giving ``k_out`` (N, V) with ``0 <= k_out <= 1`` and
    ``sum_v k_out = 1``. ``k_out`` rescales every joint's features (Eq. 1).

    Args:
        in_channels (int): Channels ``C_pre`` after block ``after_block``.
        after_block (int): 1-based block ``N_pre`` whose output JID reads.
        hidden_channels (int, optional): Width of the first linear layer.
            Defaults to ``in_channels // 2``.
        apply_to (str): ``'post_output'`` reweights the last block's output
            ``f_post``, as Eq. 1 is written; ``'post_input'`` reweights the
            output of block ``N_pre`` instead, so that the remaining blocks
            see the weighted joints (a reading of the paper's Table 5
            discussion). The two coincide for ``N_pre = N``; see
            ``docs/method.md`` for why Eq. 1's reading is the default.
            Defaults to 'post_output'.
        weights (str): What multiplies the features: ``'softmax'``,
            ``k_out`` itself as Eq. 1 writes it (the weights sum to 1, so
            the features shrink by about ``1/V``), or ``'mean_one'``,
            ``V * k_out`` (the same relative weights with mean 1, features
            keep their scale). ``k_out`` (and its calibration) is the
            softmax either way. Defaults to 'softmax'.
        init_cfg (dict, optional): Initialisation config. Defaults to None.

    Examples:
        >>> jid = JointImportance(in_channels=128, after_block=5)
        >>> k_out = jid(torch.rand(4 * 2, 128, 32, 25), num_persons=2)
        >>> k_out.shape, round(float(k_out.sum(-1)[0]), 4)
        (torch.Size([4, 25]), 1.0)
    """

    def __init__(self, in_channels, after_block, hidden_channels=None,
                 apply_to='post_output', weights='softmax', init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.after_block = after_block
        self.apply_to = apply_to
        self.weights = weights
        hidden_channels = hidden_channels or in_channels // 2
        self.fc1 = nn.Linear(in_channels, hidden_channels)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Linear(hidden_channels, 1)

    def forward(self, x, num_persons):
        """(N*M, C, T, V) features -> (N, V) joint importance (float32,
        also under autocast)."""
        nm, c, _, v = x.shape
        pooled = x.mean(2).view(nm // num_persons, num_persons, c, v).mean(1)
        scores = self.fc2(self.relu(self.fc1(pooled.transpose(1, 2))))
        with float32(x):
            return scores.squeeze(-1).float().softmax(dim=-1)

    def reweight(self, x, k_out):
        """Eq. (1): scale every joint's features by its importance.

        Args:
            x (Tensor): Features (N*M, C, T, V).
            k_out (Tensor): Joint importance (N, V).
        """
        if self.weights == 'mean_one':
            k_out = k_out * k_out.shape[-1]
        num_persons = x.shape[0] // k_out.shape[0]
        weights = torch.repeat_interleave(k_out, num_persons, dim=0)
        return x * weights[:, None, None, :].to(x.dtype)

    def forward_blocks(self, blocks, x, num_persons):
        """Run a backbone's blocks with JID in place.

        Args:
            blocks (Iterable[nn.Module]): The encoder blocks in order.
            x (Tensor): Input of the first block, (N*M, C, T, V).
            num_persons (int): Persons per sample M.

        Returns:
            tuple: Output of the last block (reweighted) and ``k_out``.
        """
        k_out = None
        for stage, block in enumerate(blocks, 1):
            x = block(x)
            if stage == self.after_block:
                k_out = self(x, num_persons)
                if self.apply_to == 'post_input':
                    x = self.reweight(x, k_out)
        if self.apply_to == 'post_output':
            x = self.reweight(x, k_out)
        return x, k_out
