"""The paper's figures (draw_*) and tools/visualize.py on tiny configs and
checkpoints."""
import os
import os.path as osp
import pickle

import pytest
from vis_helpers import png_size

from crossglg_mmaction.visualization import (draw_attention, draw_importance,
                                             draw_skeleton, load_models)
from crossglg_mmaction.visualization.paper_figures import slug
from tool_runner import run_main

COMMON = ('--max-per-class', '2', '--batch-size', '4', '--device', 'cpu')


@pytest.fixture(scope='module')
def models(tiny_models):
    """name -> [TrainedModel] of the tiny configs (batches of 4, CPU)."""
    return {name: load_models(*tiny_models[name], device='cpu',
                              batch_size=4)
            for name in ('crossglg', 'baseline')}


def class_names(tiny_models):
    with open(osp.join(tiny_models['data'], 'classes.txt')) as f:
        return [line.strip() for line in f]


def novel_frame_dir(tiny_models, label):
    with open(osp.join(tiny_models['data'], 'synthetic_3d.pkl'), 'rb') as f:
        annotations = pickle.load(f)['annotations']
    return next(a['frame_dir'] for a in annotations if a['label'] == label)


def test_importance(models, tiny_models, tmp_path):
    paths = draw_importance(models['crossglg'][0], str(tmp_path),
                            max_per_class=2)
    assert paths == [str(tmp_path / 'importance_base.png')]
    width, height = png_size(paths[0])
    assert width > height  # 25 joints across, 3 classes down (twice)
    assert os.listdir(osp.join(tiny_models['data'], 'banks'))


def test_importance_needs_jid_and_text(models, tiny_models, tmp_path):
    with pytest.raises(ValueError, match='needs a backbone with joint '
                       r'importance .*InfoGCN baseline'):
        draw_importance(models['baseline'][0], str(tmp_path / 'a'))
    no_text, = load_models(
        *tiny_models['crossglg'], device='cpu',
        cfg_options={'train_dataloader.dataset.text_bank': None})
    with pytest.raises(ValueError, match='joint importance needs the text '
                       "bank .*'TextAnnotatedDataset' without text_bank"):
        draw_importance(no_text, str(tmp_path / 'b'))
    assert not os.listdir(tmp_path)


def test_attention_compare(tiny_models, tmp_path):
    names = class_names(tiny_models)
    models = load_models(*tiny_models['crossglg'],
                         compare=tiny_models['baseline'], device='cpu',
                         batch_size=4)
    paths = draw_attention(models, str(tmp_path), classes=[names[2], '0'],
                           blocks=[1, 9], max_per_class=2)
    assert paths == [
        str(tmp_path / f'attention_base_2_{slug(names[2])}.png'),
        str(tmp_path / f'attention_base_0_{slug(names[0])}.png')
    ]
    for path in paths:
        width, height = png_size(path)
        assert 300 < width < 4000 and 300 < height < 4000  # 200 dpi


def test_skeleton(models, tiny_models, tmp_path):
    frame_dir = novel_frame_dir(tiny_models, 4)
    paths = draw_skeleton(models['crossglg'], str(tmp_path),
                          sample=frame_dir)  # by jid: the model has JID
    assert paths == [str(tmp_path / f'skeleton_novel_{frame_dir}.png')]
    png_size(paths[0])

    both = models['crossglg'] + models['baseline']
    paths = draw_skeleton(both, str(tmp_path / 'cmp'), classes=[3, 5],
                          frame=0)  # by attention: the baseline has no JID
    assert len(paths) == 2
    single, double = png_size(
        str(tmp_path / f'skeleton_novel_{frame_dir}.png')), png_size(paths[0])
    assert double[0] > 1.5 * single[0]  # two panels side by side


@pytest.mark.parametrize('options, message', [
    (dict(by='jid'), 'has no joint importance'),
    (dict(index=99), '--index 99: the novel subset .* has 12 samples'),
    (dict(sample='nope'), "sample 'nope' is not in the novel subset"),
    (dict(classes=['fly']), r"classes \['fly'\] are not in the novel"),
    (dict(frame=40), '--frame 40: the model input .* has 32 frames'),
])
def test_skeleton_errors(models, tmp_path, options, message):
    with pytest.raises(ValueError, match=message):
        draw_skeleton(models['baseline'], str(tmp_path), **options)
    assert not os.listdir(tmp_path)


def test_command_line(tiny_models, tmp_path, capsys, captured):
    """Sub-commands and options map onto draw_*; the default output folder
    is WORK_DIR/vis; the paths are printed one per line."""
    config, checkpoint = tiny_models['baseline']
    paths = run_main('visualize', [
        config, checkpoint, 'attention', '--work-dir', tmp_path, '--subset',
        'novel', '--classes', '5', '--no-topology', '--scale', 'per-block',
        *COMMON])
    bars = [ax for ax in captured[0].axes if ax.get_label() == '<colorbar>']
    assert len(bars) == 3  # one per block (first, middle, last)
    assert len(paths) == 1
    assert paths[0].startswith(str(tmp_path / 'vis' / 'attention_novel_5_'))
    png_size(paths[0])
    assert capsys.readouterr().out.strip() == paths[0]
    with pytest.raises(SystemExit, match=r'^visualize\.py: error: '
                       '--max-per-class must be 0'):
        run_main('visualize', [config, checkpoint, 'importance',
                               '--max-per-class', -1])
