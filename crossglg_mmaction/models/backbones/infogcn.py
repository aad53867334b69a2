"""InfoGCN skeleton encoder with CrossGLG's joint importance (JID)."""
import torch
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS
from ...skeleton import get_layout
from ..checks import check_positive_ints
from .infogcn_blocks import EncodingBlock, bn_init
from .joint_importance import JointImportance, check_importance_cfg


@MODELS.register_module()
class InfoGCN(BaseModule):
    """InfoGCN encoder (Chi et al., CVPR 2022) in MMAction2's GCN interface.

    A port of the official ``stnoah1/infogcn`` encoder (same layers,
    parameters and initialisation; parity checked in
    ``docs/infogcn_parity.md``): the k-th mode input transform
    ``(I - A_outward^k) x``, a linear joint embedding plus a learnable
    positional embedding, data BN over ``(M, V, C)`` and ``num_stages``
    encoding blocks (SA-GC + multi-scale TCN). The information-bottleneck
    projector and classifier live in :class:`InfoGCNHead`.

    With ``importance`` set, CrossGLG's Joint Importance Determination module
    runs on the output of block ``after_block`` (``N_pre``) and its joint
    weights ``k_out`` rescale the features per joint (paper Eq. 1), and
    ``forward`` returns ``(features, k_out)``; use
    :class:`CrossGLGRecognizer` for this. Without it the backbone returns the
    features alone and works with MMAction2's ``RecognizerGCN``.

    Args:
        layout (str): Skeleton layout name or alias (see
            :mod:`crossglg_mmaction.skeleton`). Defaults to 'ntu25'.
        in_channels (int): Coordinates per joint. Defaults to 3.
        base_channels (int): Width of the first blocks. Defaults to 64.
        num_stages (int): Number of encoding blocks. Defaults to 9.
        inflate_stages (tuple[int]): 1-based blocks that double the width.
            Defaults to (4, 7).
        down_stages (tuple[int]): 1-based blocks with temporal stride 2.
            Defaults to (4, 7).
        num_heads (int): SA-GC heads. Defaults to 3.
        num_person (int): Persons per sample M (data BN is sized by it).
            Defaults to 2.
        k (int): k-th mode of the input transform; 1 gives bone vectors,
            more than the tree depth gives raw joints. Defaults to 1.
        importance (dict, optional): :class:`JointImportance` config without
            ``in_channels``: ``after_block`` (N_pre, 1..num_stages),
            optional ``hidden_channels`` and ``apply_to``. Defaults to None
            (plain InfoGCN).
        init_cfg (dict, optional): Initialisation config. Defaults to None.

    Examples:
        >>> import torch
        >>> from crossglg_mmaction.models import InfoGCN
        >>> backbone = InfoGCN()  # official NTU configuration
        >>> x = torch.randn(2, 2, 64, 25, 3)  # (N, M, T, V, C)
        >>> backbone(x).shape  # (N, M, C, T', V)
        torch.Size([2, 2, 256, 16, 25])
        >>> backbone = InfoGCN(importance=dict(after_block=5))
        >>> feats, k_out = backbone(x)
        >>> k_out.shape
        torch.Size([2, 25])
    """

    def __init__(self,
                 layout='ntu25',
                 in_channels=3,
                 base_channels=64,
                 num_stages=9,
                 inflate_stages=(4, 7),
                 down_stages=(4, 7),
                 num_heads=3,
                 num_person=2,
                 k=1,
                 importance=None,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        check_positive_ints(type(self).__name__, in_channels=in_channels,
                            base_channels=base_channels,
                            num_stages=num_stages, num_heads=num_heads,
                            num_person=num_person)
        outside = sorted((set(inflate_stages) | set(down_stages)) -
                         set(range(1, num_stages + 1)))
        if outside:
            raise ValueError(f'{type(self).__name__}: inflate_stages/'
                             f'down_stages {outside} are not blocks '
                             f'1..{num_stages} (num_stages)')
        self.layout = get_layout(layout)
        self.num_joints = self.layout.num_joints
        self.in_channels = in_channels
        self.num_person = num_person
        self.register_buffer(
            'kth_transform',
            torch.from_numpy(self.layout.kth_mode_transform(k)),
            persistent=False)

        self.to_joint_embedding = nn.Linear(in_channels, base_channels)
        self.pos_embedding = nn.Parameter(
            torch.randn(1, self.num_joints, base_channels))
        self.data_bn = nn.BatchNorm1d(num_person * base_channels *
                                      self.num_joints)
        bn_init(self.data_bn, 1)

        self.blocks = nn.ModuleList()
        self.channels = []
        channels = base_channels
        for stage in range(1, num_stages + 1):
            out_channels = channels * 2 if stage in inflate_stages else channels
            stride = 2 if stage in down_stages else 1
            self.blocks.append(
                EncodingBlock(channels, out_channels, self.num_joints,
                              num_heads, stride))
            self.channels.append(out_channels)
            channels = out_channels
        self.out_channels = channels

        self.importance = None
        if importance is not None:
            check_importance_cfg(importance, num_stages, type(self).__name__)
            self.importance = JointImportance(
                self.channels[importance['after_block'] - 1], **importance)

    def _check_input(self, x):
        if x.dim() != 5:
            raise ValueError(f'InfoGCN expects input (N, M, T, V, C), got '
                             f'shape {tuple(x.shape)}')
        _, m, t, v, c = x.shape
        expected = dict(M=self.num_person, V=self.num_joints,
                        C=self.in_channels)
        for name, got in zip('MVC', (m, v, c)):
            if got != expected[name]:
                raise ValueError(
                    f'InfoGCN (layout {self.layout.name!r}, num_person='
                    f'{self.num_person}, in_channels={self.in_channels}) '
                    f'expects {name}={expected[name]}, got input of shape '
                    f'(N, M, T, V, C)={tuple(x.shape)}')
        if t == 0:
            raise ValueError('InfoGCN got a zero-length sequence (T=0)')

    def forward(self, x):
        """(N, M, T, V, C) -> (N, M, C', T', V) [, k_out (N, V)]."""
        self._check_input(x)
        n, m, t, v, _ = x.shape
        x = torch.matmul(self.kth_transform, x.reshape(n * m * t, v, -1))
        x = self.to_joint_embedding(x) + self.pos_embedding
        c = x.shape[-1]
        x = x.view(n, m, t, v, c).permute(0, 1, 3, 4, 2).reshape(n, -1, t)
        x = self.data_bn(x)
        x = x.view(n, m, v, c, t).permute(0, 1, 3, 4, 2).reshape(
            n * m, c, t, v)

        if self.importance is None:
            for block in self.blocks:
                x = block(x)
            return x.view(n, m, *x.shape[1:])
        x, k_out = self.importance.forward_blocks(self.blocks, x, m)
        return x.view(n, m, *x.shape[1:]), k_out
