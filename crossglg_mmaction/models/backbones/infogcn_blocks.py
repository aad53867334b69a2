"""Building blocks of InfoGCN (Chi et al., CVPR 2022).

A port of the official ``stnoah1/infogcn`` modules to MMEngine style, with
the same parameters and initialisation (see ``docs/infogcn_parity.md``).
All blocks work on ``(N, C, T, V)`` tensors. Not registered: the backbone
composes them.
"""
import math

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from ..precision import float32


def kaiming_conv_init(conv):
    """He normal init (fan_out) with zero bias."""
    nn.init.kaiming_normal_(conv.weight, mode='fan_out')
    if conv.bias is not None:
        nn.init.zeros_(conv.bias)


def bn_init(bn, scale):
    nn.init.constant_(bn.weight, scale)
    nn.init.zeros_(bn.bias)


class JointSelfAttention(BaseModule):
    """Per-frame attention between joints, one map per head.

    ``LayerNorm`` over channels, then a linear layer giving a query and a key
    of ``hidden_channels`` per head; ``softmax(q k^T / sqrt(d))`` over joints,
    computed in float32 (also under autocast).

    Args:
        in_channels (int): Input channels.
        hidden_channels (int): Query/key width per head.
        num_heads (int): Number of attention maps.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self, in_channels, hidden_channels, num_heads,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.num_heads = num_heads
        self.hidden_channels = hidden_channels
        self.scale = hidden_channels**-0.5
        self.ln = nn.LayerNorm(in_channels)
        self.to_qk = nn.Linear(in_channels, 2 * hidden_channels * num_heads)
        nn.init.normal_(self.to_qk.weight, 0, 1)

    def forward(self, x):
        """(N, T, V, C) -> attention maps (N*T, H, V, V)."""
        n, t, v, _ = x.shape
        y = self.to_qk(self.ln(x))
        # (N, T, V, 2, H, D) -> two tensors of (N*T, H, V, D)
        y = y.view(n * t, v, 2, self.num_heads, self.hidden_channels)
        q, k = y.permute(2, 0, 3, 1, 4).unbind(0)
        with float32(x):
            dots = torch.matmul(q.float(), k.float().transpose(-1, -2))
            return (dots * self.scale).softmax(dim=-1)


class SelfAttentionGraphConv(BaseModule):
    """SA-GC: graph convolution with self-attention times shared topology.

    For each head ``h``: ``A_h = attention_h * topology_h`` (topology
    initialised to the identity), ``z_h = conv_h(A_h x)``; the heads are
    summed, batch-normalised (gamma initialised to 1e-6), a residual
    ``down(x)`` is added and a ReLU applied. The heads run as one batched
    matrix product and one convolution with the heads' weights concatenated.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        num_joints (int): Number of joints V.
        num_heads (int): Number of heads H. Defaults to 3.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self, in_channels, out_channels, num_joints, num_heads=3,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.num_heads = num_heads
        self.shared_topology = nn.Parameter(
            torch.eye(num_joints).repeat(num_heads, 1, 1))
        self.conv_d = nn.ModuleList(
            nn.Conv2d(in_channels, out_channels, 1) for _ in range(num_heads))
        if in_channels != out_channels:
            self.down = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1),
                nn.BatchNorm2d(out_channels))
        else:
            self.down = nn.Identity()
        self.bn = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.attn = JointSelfAttention(in_channels, in_channels // 8,
                                       num_heads)
        self._init_official()

    def _init_official(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_conv_init(m)
            elif isinstance(m, nn.BatchNorm2d):
                bn_init(m, 1)
        bn_init(self.bn, 1e-6)
        for conv in self.conv_d:
            fan = conv.out_channels * conv.in_channels * self.num_heads
            nn.init.normal_(conv.weight, 0, math.sqrt(2. / fan))
            nn.init.zeros_(conv.bias)

    def forward(self, x):
        """(N, C_in, T, V) -> (N, C_out, T, V)."""
        n, c, t, v = x.shape
        # Layout (N*T, V, C): the attention, the graph product and the
        # heads' 1x1 convolutions (as one matrix product) all read it. The
        # output stays channels-last, so the blocks after this one run in
        # that memory format and this permute copies nothing.
        x_joints = x.permute(0, 2, 3, 1).contiguous()
        adjacency = self.attn(x_joints) * self.shared_topology.unsqueeze(0)
        # z[nt, u, h, c] = sum_v A[nt, h, u, v] x[nt, v, c]
        adjacency = adjacency.transpose(1, 2).reshape(n * t, -1, v)
        z = torch.bmm(adjacency, x_joints.view(n * t, v, c))
        weight = torch.cat([conv.weight for conv in self.conv_d], dim=1)
        bias = torch.stack([conv.bias for conv in self.conv_d]).sum(0)
        out = F.linear(z.view(n, t, v, self.num_heads * c),
                       weight.flatten(1), bias)
        out = self.bn(out.permute(0, 3, 1, 2)) + self.down(x)
        return self.relu(out)


class TemporalConv(BaseModule):
    """(k, 1) temporal convolution with dilation and stride, then BN."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 dilation=1, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        pad = (kernel_size + (kernel_size - 1) * (dilation - 1) - 1) // 2
        self.conv = nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size=(kernel_size, 1),
            padding=(pad, 0),
            stride=(stride, 1),
            dilation=(dilation, 1))
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        return self.bn(self.conv(x))


class MultiScaleTemporalConv(BaseModule):
    """Multi-scale TCN: two dilated temporal branches, max-pool, 1x1.

    Each of the ``len(dilations) + 2`` branches has ``out / branches``
    channels; their outputs are concatenated and passed through a ReLU
    (InfoGCN uses no residual inside this module).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels, divisible by the branch count.
        kernel_size (int): Temporal kernel. Defaults to 5.
        stride (int): Temporal stride. Defaults to 1.
        dilations (tuple[int]): Dilations of the temporal branches.
            Defaults to (1, 2).
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self, in_channels, out_channels, kernel_size=5, stride=1,
                 dilations=(1, 2), init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        num_branches = len(dilations) + 2
        if out_channels % num_branches:
            raise ValueError(f'out_channels={out_channels} must be divisible '
                             f'by the {num_branches} TCN branches')
        mid = out_channels // num_branches
        self.branches = nn.ModuleList()
        for dilation in dilations:
            self.branches.append(
                nn.Sequential(
                    nn.Conv2d(in_channels, mid, 1), nn.BatchNorm2d(mid),
                    nn.ReLU(inplace=True),
                    TemporalConv(mid, mid, kernel_size, stride, dilation)))
        self.branches.append(
            nn.Sequential(
                nn.Conv2d(in_channels, mid, 1), nn.BatchNorm2d(mid),
                nn.ReLU(inplace=True),
                nn.MaxPool2d((3, 1), stride=(stride, 1), padding=(1, 0)),
                nn.BatchNorm2d(mid)))
        self.branches.append(
            nn.Sequential(
                nn.Conv2d(in_channels, mid, 1, stride=(stride, 1)),
                nn.BatchNorm2d(mid)))
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(torch.cat([branch(x) for branch in self.branches],
                                   dim=1))


class EncodingBlock(BaseModule):
    """InfoGCN encoding block: ``ReLU(MS-TCN(SA-GC(x)) + residual(x))``.

    The residual is the identity when shapes match, otherwise a strided 1x1
    convolution with BN.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        num_joints (int): Number of joints V.
        num_heads (int): SA-GC heads. Defaults to 3.
        stride (int): Temporal stride. Defaults to 1.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self, in_channels, out_channels, num_joints, num_heads=3,
                 stride=1, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.agcn = SelfAttentionGraphConv(in_channels, out_channels,
                                           num_joints, num_heads)
        self.tcn = MultiScaleTemporalConv(
            out_channels, out_channels, kernel_size=5, stride=stride)
        if in_channels == out_channels and stride == 1:
            self.residual = nn.Identity()
        else:
            self.residual = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=(stride, 1)),
                nn.BatchNorm2d(out_channels))
            kaiming_conv_init(self.residual[0])
            bn_init(self.residual[1], 1)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.tcn(self.agcn(x)) + self.residual(x))
