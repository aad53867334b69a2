"""The plotting functions on tiny hand-made arrays."""
import os

import numpy as np
import pytest
from vis_helpers import png_dpi, png_size

from crossglg_mmaction.skeleton import LAYOUTS, get_layout
from crossglg_mmaction.visualization import (joint_regions, plot_attention,
                                             plot_joint_importance,
                                             plot_skeleton)
from crossglg_mmaction.visualization.attention import colour_scale
from crossglg_mmaction.visualization.figure import new_figure, save_png
from crossglg_mmaction.visualization.importance import normalise_rows
from crossglg_mmaction.visualization.skeleton3d import (MAX_AREA, MIN_AREA,
                                                        marker_areas)

JOINTS = ['root', 'spine', 'head', 'hand']
CLASSES = ['wave', 'nod', 'kick']
EDGES = [(1, 0), (2, 1), (3, 1)]
KEY_JOINTS = np.array([[0, 0, 0, 1], [0, 0, 1, 0], [1, 1, 0, 0]], float)
IMPORTANCE = np.array([[.1, .1, .1, .7], [.2, .1, .6, .1], [.4, .4, .1, .1]])


def labels(texts):
    return [t.get_text() for t in texts]


def test_normalise_rows():
    values = np.array([[1., 1., 0., 2.], [0., 0., 0., 0.]])
    np.testing.assert_allclose(normalise_rows(values),
                               [[.25, .25, 0, .5], [0, 0, 0, 0]])


def test_joint_importance(tmp_path, captured):
    out = str(tmp_path / 'imp.png')
    assert plot_joint_importance(KEY_JOINTS * 3, IMPORTANCE, CLASSES, JOINTS,
                                 out, title='T') == out
    width, height = png_size(out)
    assert width > 300 and height > 300
    upper, lower = captured[0].axes[:2]
    assert len(captured[0].axes) == 4  # two maps, two colour bars
    np.testing.assert_allclose(upper.images[0].get_array(),
                               [[0, 0, 0, 1], [0, 0, 1, 0], [.5, .5, 0, 0]])
    np.testing.assert_allclose(lower.images[0].get_array(), IMPORTANCE)
    assert labels(upper.get_yticklabels()) == CLASSES
    assert labels(lower.get_yticklabels()) == CLASSES
    assert labels(lower.get_xticklabels()) == JOINTS
    assert 'k_{gt}' in upper.get_title() and 'JID' in lower.get_title()
    assert lower.get_xlabel() == 'joint'
    assert captured[0].get_suptitle() == 'T'
    assert [f for f in os.listdir(tmp_path)] == ['imp.png']


def test_joint_importance_grows_with_joints(tmp_path):
    small = plot_joint_importance(KEY_JOINTS, IMPORTANCE, CLASSES, JOINTS,
                                  str(tmp_path / 'small.png'))
    wide = np.tile(IMPORTANCE, 5)
    large = plot_joint_importance(np.tile(KEY_JOINTS, 5), wide, CLASSES,
                                  JOINTS * 5, str(tmp_path / 'large.png'))
    assert png_size(large)[0] > png_size(small)[0]


@pytest.mark.parametrize('key_joints, importance, classes, message', [
    (KEY_JOINTS[:2], IMPORTANCE, CLASSES, 'differ in shape'),
    (KEY_JOINTS, IMPORTANCE * np.nan, CLASSES, 'NaN'),
    (KEY_JOINTS, IMPORTANCE, CLASSES[:2], '2 class names, expected 3'),
    (KEY_JOINTS[0], IMPORTANCE[0], CLASSES, 'must have 2 dimensions'),
])
def test_joint_importance_bad_input(tmp_path, key_joints, importance,
                                    classes, message):
    with pytest.raises(ValueError, match=message):
        plot_joint_importance(key_joints, importance, classes, JOINTS,
                              str(tmp_path / 'x.png'))
    assert not os.listdir(tmp_path)


def test_attention(tmp_path, captured):
    rng = np.random.default_rng(0)
    maps = rng.dirichlet(np.ones(4), size=(2, 3, 4))  # (R, B, V, V)
    maps[1, 0] *= 3  # a larger scale in column 0, row 1
    regions = ['torso', 'torso', 'head', 'right arm']
    out = plot_attention(maps, JOINTS, str(tmp_path / 'att.png'),
                         blocks=[1, 5, 9], models=['baseline', 'ours'],
                         title='wave', joint_regions=regions,
                         shared_scale=False)
    png_size(out)
    fig = captured[0]
    images = [ax for ax in fig.axes if ax.images and ax.get_title()]
    assert [ax.get_title() for ax in images] == [
        'block 1', 'block 5', 'block 9'
    ] * 2
    np.testing.assert_allclose(images[4].images[0].get_array(), maps[1, 1])
    # one colour scale per column, shared by both models
    assert images[0].images[0].get_clim() == images[3].images[0].get_clim()
    assert images[0].images[0].get_clim()[1] == pytest.approx(
        maps[:, 0].max())
    assert 'baseline' in images[0].get_ylabel()
    assert 'ours' in images[3].get_ylabel()
    bottom = images[3].get_xticklabels()
    assert labels(bottom) == JOINTS
    assert labels(images[0].get_xticklabels()) == [''] * 4
    assert bottom[2].get_color() != bottom[3].get_color()
    assert len(fig.legends) == 1


def test_attention_shares_one_scale_by_default(tmp_path, captured):
    rng = np.random.default_rng(0)
    maps = rng.dirichlet(np.ones(4), size=(2, 3, 4))
    maps[1, 2] *= 3
    plot_attention(maps, JOINTS, str(tmp_path / 'att.png'), [1, 5, 9],
                   models=['baseline', 'ours'])
    fig = captured[0]
    panels = [ax for ax in fig.axes if ax.images and ax.get_title()]
    assert len(panels) == 6
    for ax in panels:
        assert ax.images[0].get_clim() == (0., pytest.approx(maps.max()))
    bars = [ax for ax in fig.axes if ax.get_label() == '<colorbar>']
    assert len(bars) == 1 and 'one scale' in bars[0].get_ylabel()
    assert png_dpi(str(tmp_path / 'att.png')) == pytest.approx(200, abs=1)


def test_attention_single_model_and_per_row_blocks(tmp_path, captured):
    maps = np.full((2, 4, 4), .25)
    png_size(plot_attention(maps, JOINTS, str(tmp_path / 'a.png'), [1, 2]))
    titles = [ax.get_title() for ax in captured[0].axes if ax.images]
    assert titles == ['block 1', 'block 2']
    png_size(plot_attention(np.stack([maps, maps]), JOINTS,
                            str(tmp_path / 'b.png'), [[1, 2], [1, 3]]))
    titles = [ax.get_title() for ax in captured[1].axes if ax.images]
    assert titles == ['block 1', 'block 2', 'block 1', 'block 3']


@pytest.mark.parametrize('maps, blocks, message', [
    (np.ones((1, 2, 4, 3)), [1, 2], r'\(R, B, V, V\)'),
    (np.ones((1, 2, 4, 4)), [1], '1 block ids, expected 2'),
    (np.ones((2, 4, 4)), [1, 2], '5 joint names'),
])
def test_attention_bad_input(tmp_path, maps, blocks, message):
    names = JOINTS + ['x'] if 'joint names' in message else JOINTS
    with pytest.raises(ValueError, match=message):
        plot_attention(maps, names, str(tmp_path / 'x.png'), blocks)


def test_colour_scale():
    assert colour_scale(np.array([0., .5, 2.])) == ('Blues', 0., 2.)
    assert colour_scale(np.array([-.5, .2])) == ('RdBu_r', -.5, .5)
    assert colour_scale(np.zeros(3)) == ('Blues', 0., 1.)


def test_skeleton(tmp_path, captured):
    coords = np.array([[0, 0, 0], [0, 0, .5], [0, 0, 1], [.4, 0, .6]])
    importance = np.array([[.1, .2, .3, .4], [.4, .3, .2, .1]])
    out = plot_skeleton(coords, EDGES, importance, str(tmp_path / 's.png'),
                        joint_names=JOINTS, panel_titles=['ours', 'base'],
                        num_labelled=2)
    png_size(out)
    panels = [ax for ax in captured[0].axes if ax.name == '3d']
    assert [ax.get_title() for ax in panels] == ['ours', 'base']
    for ax, values in zip(panels, importance):
        assert len(ax.lines) == len(EDGES)
        # drawing sorts the markers by depth: compare as sets
        np.testing.assert_allclose(np.sort(ax.collections[0].get_sizes()),
                                   np.sort(marker_areas(values)))
        top = np.argsort(-values)[:2]
        assert sorted(t.get_text() for t in ax.texts) == sorted(
            f'{JOINTS[j]} ({values[j]:.2f})' for j in top)
        # names sit in the side margins, joined to their joints by lines
        for text in ax.texts:
            assert text.get_position()[0] in (0.01, 0.99)
            assert text.arrow_patch is not None
        assert len({t.get_position() for t in ax.texts}) == 2
        # a cube with three ticks per axis, the vertical one named 'up'
        assert ax.get_zlabel() == 'z (up)'
        for limits in (ax.get_xlim(), ax.get_ylim(), ax.get_zlim()):
            assert limits[1] - limits[0] == pytest.approx(1.05)
        low, high = ax.get_zlim()
        shown = [t for t in ax.get_zticks() if low <= t <= high]
        assert 2 <= len(shown) <= 4
    assert len(captured[0].axes) == 4  # two panels, two colour bars
    assert png_dpi(out) == pytest.approx(200, abs=1)


def test_marker_areas():
    np.testing.assert_allclose(marker_areas(np.array([0., .5, 1.])),
                               [MIN_AREA, (MIN_AREA + MAX_AREA) / 2,
                                MAX_AREA])
    np.testing.assert_allclose(marker_areas(np.zeros(3)), [MIN_AREA] * 3)


@pytest.mark.parametrize('coords, edges, kwargs, message', [
    (np.zeros((3, 3)), EDGES, {}, r'\(V, 3\) = \(4, 3\)'),
    (np.zeros((4, 3)), [(4, 0)], {}, 'outside 0..3'),
    (np.zeros((4, 3)), EDGES, dict(vertical_axis='up'), 'vertical_axis'),
    (np.zeros((4, 3)), EDGES, dict(joint_names=JOINTS[:3]), 'joint names'),
])
def test_skeleton_bad_input(tmp_path, coords, edges, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_skeleton(coords, edges, IMPORTANCE[0], str(tmp_path / 'x.png'),
                      **kwargs)
    assert not os.listdir(tmp_path)


def test_joint_regions():
    layout = get_layout('ntu25')
    regions = dict(zip(layout.joints, joint_regions(layout)))
    assert regions['head'] == 'head'
    assert regions['spine_mid'] == 'torso'
    assert regions['left_hand_tip'] == 'left arm'
    assert regions['right_knee'] == 'right leg'
    assert 'other' not in regions.values()
    for name in LAYOUTS:
        assert len(joint_regions(get_layout(name))) == get_layout(
            name).num_joints


def test_save_png_is_atomic(tmp_path):
    fig = new_figure((2, 2))

    def broken(*args, **kwargs):
        raise RuntimeError('disk full')

    fig.savefig = broken
    with pytest.raises(RuntimeError):
        save_png(fig, str(tmp_path / 'out.png'))
    assert not os.listdir(tmp_path)
