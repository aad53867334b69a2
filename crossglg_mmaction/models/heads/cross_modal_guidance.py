"""Local-to-global cross-modal interaction of CrossGLG (paper Sec. 3.4-3.5)."""
import torch
from mmengine.model import BaseModule
from torch import nn

from mmaction.registry import MODELS
from ..checks import check_positive_ints
from ..precision import float32


def two_layer_mlp(in_channels, hidden_channels, out_channels):
    return nn.Sequential(
        nn.Linear(in_channels, hidden_channels), nn.GELU(),
        nn.Linear(hidden_channels, out_channels))


class InteractionBlock(BaseModule):
    """One block ``phi^i`` of the local-to-global interaction module.

    Text-text self-attention (Eq. 3), cross-attention with the joint texts as
    queries and the joint skeleton features as keys and values (Eq. 4), and
    an MLP fusing their sum (Eq. 5). Attention and MLP are wrapped in the
    usual Transformer residual connection and LayerNorm (Vaswani et al.,
    whose multi-head attention the paper cites):
    ``t <- LN(t + MHA(t, t, t))``, ``s' = MHA(t, s, s)``,
    ``s <- LN(u + MLP(u))`` with ``u = t + s'`` (Eq. 5's sum).

    The joint texts are the same for every sample of a class, so the text
    term of ``u`` lets the branch classify from the text alone and stop
    depending on the skeleton (docs/method.md). ``text_residual=False``
    drops it (``u = s'``); ``skeleton_residual=True`` adds the incoming
    skeleton tokens (``u = s + s' [+ t]``), a direct path from the joint
    features to the output.

    Args:
        channels (int): Width ``C_p`` of the common space.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): MLP hidden width over ``channels``.
            Defaults to 2.
        text_self_attention (bool): Apply Eq. 3; switched off for the
            paper's Table 6. Defaults to True.
        text_residual (bool): Add the text tokens in Eq. 5's sum.
            Defaults to True (the paper).
        skeleton_residual (bool): Add the incoming skeleton tokens in
            Eq. 5's sum. Defaults to False (the paper).
        dropout (float): Attention and MLP dropout. Defaults to 0.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self, channels, num_heads=8, mlp_ratio=2.,
                 text_self_attention=True, text_residual=True,
                 skeleton_residual=False, dropout=0., init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.text_self_attention = text_self_attention
        self.text_residual = text_residual
        self.skeleton_residual = skeleton_residual
        if text_self_attention:
            self.text_attn = nn.MultiheadAttention(
                channels, num_heads, dropout=dropout, batch_first=True)
            self.text_norm = nn.LayerNorm(channels)
        self.cross_attn = nn.MultiheadAttention(
            channels, num_heads, dropout=dropout, batch_first=True)
        hidden = int(channels * mlp_ratio)
        self.fusion = nn.Sequential(
            two_layer_mlp(channels, hidden, channels), nn.Dropout(dropout))
        self.fusion_norm = nn.LayerNorm(channels)

    def forward(self, text, skeleton):
        """(N, V, C_p) text and skeleton tokens -> updated (text, skeleton)."""
        if self.text_self_attention:
            attended, _ = self.text_attn(text, text, text, need_weights=False)
            text = self.text_norm(text + attended)
        fused, _ = self.cross_attn(
            text, skeleton, skeleton, need_weights=False)
        if self.text_residual:
            fused = fused + text
        if self.skeleton_residual:
            fused = fused + skeleton
        return text, self.fusion_norm(fused + self.fusion(fused))


@MODELS.register_module()
class CrossModalGuidance(BaseModule):
    """Cross-modal guidance branch: joint texts guide joint features.

    The joint-text embeddings ``t`` (N, V, C_txt) and the time- and
    person-pooled joint features ``f̄_post`` (N, V, C_post) are projected by
    two MLPs into a common space of width ``C_p``, pass ``num_blocks``
    :class:`InteractionBlock` s, are projected back to ``out_channels`` and
    averaged over joints: ``f_c`` (N, out_channels). Used in training only.
    Runs in float32 also under autocast (attention over 25 tokens is a small
    share of the step; the text bank is float32).

    Args:
        in_channels (int): Skeleton feature width ``C_post``.
        text_channels (int): Text embedding width ``C_txt`` (1536 for
            DeBERTa-V2-XLarge).
        out_channels (int): Width of ``f_c`` (the shared classifier's input).
        common_channels (int): Width ``C_p``. Defaults to 256.
        num_blocks (int): Interaction blocks ``M``. Defaults to 3.
        num_heads (int): Attention heads. Defaults to 8.
        mlp_ratio (float): Fusion MLP width over ``C_p``. Defaults to 2.
        text_self_attention (bool): Eq. 3 on/off (Table 6). Defaults to True.
        text_residual (bool): Text tokens in Eq. 5's sum (see
            :class:`InteractionBlock`). Defaults to True (the paper).
        skeleton_residual (bool): Incoming skeleton tokens in Eq. 5's sum.
            Defaults to False (the paper).
        dropout (float): Dropout in the blocks. Defaults to 0.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self, in_channels, text_channels, out_channels,
                 common_channels=256, num_blocks=3, num_heads=8,
                 mlp_ratio=2., text_self_attention=True, text_residual=True,
                 skeleton_residual=False, dropout=0., init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        check_positive_ints(type(self).__name__, in_channels=in_channels,
                            text_channels=text_channels,
                            out_channels=out_channels,
                            common_channels=common_channels,
                            num_heads=num_heads)
        if common_channels % num_heads:
            raise ValueError(f'CrossModalGuidance: common_channels='
                             f'{common_channels} must be divisible by '
                             f'num_heads={num_heads}')
        if num_blocks < 1:
            raise ValueError(f'CrossModalGuidance: num_blocks must be >= 1, '
                             f'got {num_blocks}')
        self.text_channels = text_channels
        self.text_proj = two_layer_mlp(text_channels, common_channels,
                                       common_channels)
        self.skeleton_proj = two_layer_mlp(in_channels, common_channels,
                                           common_channels)
        self.blocks = nn.ModuleList(
            InteractionBlock(common_channels, num_heads, mlp_ratio,
                             text_self_attention, text_residual,
                             skeleton_residual, dropout)
            for _ in range(num_blocks))
        self.out_proj = nn.Linear(common_channels, out_channels)

    def forward(self, feats, text):
        """Backbone features (N, M, C, T, V) and text (N, V, C_txt) -> f_c."""
        if text.shape[-1] != self.text_channels:
            raise ValueError(f'CrossModalGuidance expects text embeddings of '
                             f'width {self.text_channels}, got '
                             f'{tuple(text.shape)}')
        joints = feats.float().mean(dim=(1, 3)).transpose(1, 2)  # (N, V, C)
        if text.shape[1] != joints.shape[1]:
            raise ValueError(f'CrossModalGuidance: {text.shape[1]} joint '
                             f'texts for {joints.shape[1]} skeleton joints')
        with float32(feats):
            text = self.text_proj(text.to(joints))
            skeleton = self.skeleton_proj(joints)
            for block in self.blocks:
                text, skeleton = block(text, skeleton)
            return self.out_proj(skeleton).mean(dim=1)
