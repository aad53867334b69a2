import pytest
import torch

from crossglg_mmaction.models import InfoGCN, InfoGCNHead
from crossglg_mmaction.skeleton import LAYOUTS


def count(module):
    return sum(p.numel() for p in module.parameters())


def test_parameter_count_matches_official_infogcn():
    # stnoah1/infogcn, NTU-60: 1,556,807 parameters in total.
    backbone = InfoGCN()
    head = InfoGCNHead(num_classes=60)
    assert count(backbone) == 1_344_011
    assert count(head) == 212_796
    assert count(backbone) + count(head) == 1_556_807


@pytest.mark.parametrize('layout', sorted(LAYOUTS))
def test_shape_contract_for_every_layout(layout):
    # 3 channels: x, y, z for Kinect layouts, x, y, score for 2D layouts
    num_joints = LAYOUTS[layout].num_joints
    backbone = InfoGCN(layout=layout)
    x = torch.randn(2, 2, 32, num_joints, 3)
    assert backbone(x).shape == (2, 2, 256, 8, num_joints)


def test_aliases_build_the_same_layout():
    assert InfoGCN(layout='nturgb+d').layout is InfoGCN().layout
    assert InfoGCN(layout='coco').num_joints == 17
    assert InfoGCN(layout='openpose').num_joints == 18


def test_kth_mode_input_transform_gives_bones_for_k1():
    backbone = InfoGCN(k=1)
    layout = backbone.layout
    x = torch.randn(5, 25, 3)
    bones = torch.matmul(backbone.kth_transform, x)
    child, parent = layout.index('left_elbow'), layout.index('left_shoulder')
    assert torch.allclose(bones[:, child], x[:, child] - x[:, parent])
    assert torch.allclose(bones[:, layout.root], x[:, layout.root])
    # k above the tree depth keeps raw joints
    raw = InfoGCN(k=layout.depth() + 1).kth_transform
    assert torch.equal(raw, torch.eye(25))


def test_kth_transform_is_float32_and_not_in_state_dict():
    backbone = InfoGCN()
    assert backbone.kth_transform.dtype == torch.float32
    assert 'kth_transform' not in backbone.state_dict()


def test_widths_and_strides_follow_the_official_blocks():
    backbone = InfoGCN()
    assert backbone.channels == [64, 64, 64, 128, 128, 128, 256, 256, 256]
    lengths = []
    for block in backbone.blocks:
        block.register_forward_hook(
            lambda module, inputs, output: lengths.append(output.shape[2]))
    backbone(torch.randn(1, 2, 64, 25, 3))
    assert lengths == [64, 64, 64, 32, 32, 32, 16, 16, 16]


def test_self_attention_topology_starts_as_identity():
    block = InfoGCN().blocks[0]
    topology = block.agcn.shared_topology
    assert topology.shape == (3, 25, 25)
    assert torch.equal(topology.detach(), torch.eye(25).repeat(3, 1, 1))


@pytest.mark.parametrize('shape, message', [
    ((2, 2, 16, 20, 3), 'expects V=25'),
    ((2, 1, 16, 25, 3), 'expects M=2'),
    ((2, 2, 16, 25, 2), 'expects C=3'),
    ((2, 2, 0, 25, 3), 'zero-length'),
    ((2, 16, 25, 3), r'\(N, M, T, V, C\)'),
])
def test_bad_input_shapes_are_named(shape, message):
    with pytest.raises(ValueError, match=message):
        InfoGCN()(torch.zeros(shape))


def test_unknown_layout_and_k_are_rejected():
    with pytest.raises(KeyError, match='unknown skeleton layout'):
        InfoGCN(layout='kinect_v3')
    with pytest.raises(ValueError, match='k-th mode'):
        InfoGCN(k=0)
