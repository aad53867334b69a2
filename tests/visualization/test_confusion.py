"""The one-shot confusion matrix: sized by its content, values in cells,
readable at 120 classes (the NTU-120 names), 200 dpi."""
import json
import os.path as osp

import numpy as np
import pytest
from vis_helpers import png_dpi

from crossglg_mmaction.evaluation.oneshot_eval import confusion_png
from crossglg_mmaction.visualization.confusion import (cell_inches,
                                                       confusion_figure)

DATA = osp.join(osp.dirname(__file__), '..', '..', 'crossglg_mmaction',
                'data', 'ntu120.json')


def ntu120_names():
    with open(DATA, encoding='utf-8') as f:
        return [c['name'] for c in json.load(f)['classes']]


def counts(num_classes, seed=0):
    rng = np.random.default_rng(seed)
    return rng.poisson(.2, (num_classes, num_classes)) + np.diag(
        rng.integers(3, 9, num_classes))


def test_cells_hold_their_percent():
    confusion = np.array([[3, 1], [0, 2]])
    fig = confusion_figure([confusion], ['prototype'], ['wave', 'kick'])
    ax = fig.axes[0]
    cells = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert cells == {((0, 0), '75'), ((1, 0), '25'), ((1, 1), '100')}
    np.testing.assert_allclose(ax.images[0].get_array(),
                               [[.75, .25], [0, 1]])
    assert [t.get_text() for t in ax.get_yticklabels()] == ['wave', 'kick']


def test_size_follows_classes_and_names():
    names = ntu120_names()
    small = confusion_figure([counts(10)], ['a'], names[:10])
    longer = confusion_figure([counts(10)], ['a'],
                              [n + ' (and more words)' for n in names[:10]])
    large = confusion_figure([counts(120)] * 2, ['a', 'b'], names)
    width, height = small.get_size_inches()
    assert width > 10 * cell_inches(10) and height > 10 * cell_inches(10)
    assert longer.get_size_inches()[1] > height  # room for the names
    assert large.get_size_inches()[1] > 120 * cell_inches(120)
    ax = large.axes[0]
    # 120 classes: 0.2-in cells (40 px at 200 dpi), 8.9-pt names, 5-pt values
    assert cell_inches(120) == pytest.approx(.2)
    assert ax.get_yticklabels()[0].get_fontsize() >= 8.5
    assert min(t.get_fontsize() for t in ax.texts) >= 5
    assert len(ax.texts) == np.count_nonzero(counts(120))
    assert [t.get_text() for t in ax.get_xticklabels()] == names


def test_report_png_is_200_dpi(tmp_path):
    result = dict(prototype=dict(confusion=counts(3).tolist(), top1=.5),
                  calibrated=None)
    path = tmp_path / 'confusion.png'
    path.write_bytes(confusion_png(result, ['a', 'b', 'c']))
    assert png_dpi(str(path)) == pytest.approx(200, abs=1)


@pytest.mark.parametrize('confusions, titles, names, message', [
    (np.ones((1, 2, 3)), ['a'], ['x', 'y'], r'\(P, K, K\)'),
    (np.ones((1, 2, 2)), ['a', 'b'], ['x', 'y'], '2 titles, expected 1'),
    (np.ones((1, 2, 2)), ['a'], ['x'], '1 class names, expected 2'),
])
def test_bad_input(confusions, titles, names, message):
    with pytest.raises(ValueError, match=message):
        confusion_figure(confusions, titles, names)
