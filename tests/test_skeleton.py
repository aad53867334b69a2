import numpy as np
import pytest

from crossglg_mmaction.skeleton import (LAYOUTS, VOCABULARY, Layout,
                                        get_layout)

NTU_JOINTS = [
    line.split('\t')[2] for line in '''1	0	SpineBase
2	1	SpineMid
3	2	Neck
4	3	Head
5	4	ShoulderLeft
6	5	ElbowLeft
7	6	WristLeft
8	7	HandLeft
9	8	ShoulderRight
10	9	ElbowRight
11	10	WristRight
12	11	HandRight
13	12	HipLeft
14	13	KneeLeft
15	14	AnkleLeft
16	15	FootLeft
17	16	HipRight
18	17	KneeRight
19	18	AnkleRight
20	19	FootRight
21	20	SpineShoulder
22	21	HandTipLeft
23	22	ThumbLeft
24	23	HandTipRight
25	24	ThumbRight'''.splitlines()
]


def camel_to_snake(name):
    # 'ShoulderLeft' -> 'left_shoulder', 'HandTipLeft' -> 'left_hand_tip'
    for side in ('Left', 'Right'):
        if name.endswith(side):
            stem = name[:-len(side)]
            words = [w.lower() for w in
                     ''.join(' ' + c if c.isupper() else c
                             for c in stem).split()]
            return '_'.join([side.lower()] + words)
    return '_'.join(w.lower() for w in ''.join(
        ' ' + c if c.isupper() else c for c in name).split())


def test_ntu25_follows_kinect_v2_joint_order():
    assert list(get_layout('ntu25').joints) == [
        camel_to_snake(n) for n in NTU_JOINTS]


def test_ntu25_tree_is_infogcn_s_graph():
    # graph/ntu_rgb_d.py of stnoah1/infogcn, (parent, child), 1-based
    pairs = [(2, 1), (2, 21), (21, 3), (3, 4), (21, 5), (5, 6), (6, 7),
             (7, 8), (8, 23), (23, 22), (21, 9), (9, 10), (10, 11),
             (11, 12), (12, 25), (25, 24), (1, 13), (13, 14), (14, 15),
             (15, 16), (1, 17), (17, 18), (18, 19), (19, 20)]
    layout = get_layout('ntu25')
    assert sorted(layout.edges) == sorted((c - 1, p - 1) for p, c in pairs)
    assert layout.root == 1 and layout.depth() == 7


def test_nwucla_tree_is_the_readme_bones():
    bones = [(1, 2), (2, 3), (3, 4), (3, 5), (5, 6), (6, 7), (7, 8), (3, 9),
             (9, 10), (10, 11), (11, 12), (1, 13), (13, 14), (14, 15),
             (15, 16), (1, 17), (17, 18), (18, 19), (19, 20)]
    layout = get_layout('kinect_v1_20')
    assert sorted(layout.edges) == sorted((c - 1, p - 1) for p, c in bones)


@pytest.mark.parametrize('alias, name', [('nturgb+d', 'ntu25'),
                                         ('coco', 'coco17'),
                                         ('openpose', 'openpose18'),
                                         ('nwucla', 'kinect_v1_20')])
def test_mmaction_layout_names_are_aliases(alias, name):
    assert get_layout(alias) is LAYOUTS[name]


def test_unknown_layout_lists_the_known_ones():
    with pytest.raises(KeyError, match="unknown skeleton layout 'foo'.*ntu25"):
        get_layout('foo')


@pytest.mark.parametrize('layout', sorted(LAYOUTS))
def test_every_vocabulary_part_maps_to_joints(layout):
    layout = LAYOUTS[layout]
    for word, part in VOCABULARY.items():
        assert layout.part_joints(part), (layout.name, word)
        for side in ('left', 'right'):
            joints = layout.part_joints(part, side)
            other = 'right' if side == 'left' else 'left'
            assert not any(layout.joints[j].startswith(other)
                           for j in joints), (layout.name, part, side)


def test_part_mapping_follows_the_paper():
    ntu = get_layout('ntu25')
    names = lambda ids: {ntu.joints[i] for i in ids}  # noqa: E731
    # "arms correspond to shoulders, elbows and wrists"
    assert names(ntu.part_joints('arm', 'left')) == {
        'left_shoulder', 'left_elbow', 'left_wrist'}
    # "eyes correspond to the head"
    assert names(ntu.part_joints(VOCABULARY['eyes'])) == {'head'}
    assert names(ntu.part_joints('hand', 'right')) == {
        'right_hand', 'right_hand_tip', 'right_thumb'}
    assert 'spine_base' in names(ntu.part_joints('hip'))


def test_mmaction_graph_accepts_our_layouts():
    from mmaction.models.utils import Graph
    for layout in LAYOUTS.values():
        graph = Graph(layout=layout.mmaction_graph_layout(), mode='spatial')
        assert graph.A.shape == (3, layout.num_joints, layout.num_joints)


def test_joint_list_for_the_prompt():
    assert get_layout('kinect_v1_20').joint_list().startswith(
        'hip center, spine, shoulder center, head, left shoulder')


def test_layout_validation():
    with pytest.raises(ValueError, match='one root'):
        Layout('bad', ('a', 'b'), (-1, -1), {})
    with pytest.raises(ValueError, match='unknown joints'):
        Layout('bad', ('a', 'b'), (-1, 0), {'head': {'center': ('c', )}})


def test_kth_mode_transform_rejects_k0():
    with pytest.raises(ValueError, match='k-th mode'):
        get_layout('ntu25').kth_mode_transform(0)
    eye = np.eye(25, dtype=np.float32)
    assert np.array_equal(get_layout('ntu25').kth_mode_transform(8), eye)
