"""tools/visualize.py end to end on tiny configs and checkpoints."""
import importlib.util
import os
import os.path as osp
import pickle

import pytest
from vis_helpers import png_size

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
COMMON = ('--max-per-class', '2', '--batch-size', '4', '--device', 'cpu')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location(
        'visualize_tool', osp.join(ROOT, 'tools', 'visualize.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(tool, model, command, out_dir, *extra):
    config, checkpoint = model
    return tool.main([config, checkpoint, command, '--out-dir',
                      str(out_dir), *COMMON, *extra])


def class_names(tiny_models):
    with open(osp.join(tiny_models['data'], 'classes.txt')) as f:
        return [line.strip() for line in f]


def novel_frame_dir(tiny_models, label):
    with open(osp.join(tiny_models['data'], 'synthetic_3d.pkl'), 'rb') as f:
        annotations = pickle.load(f)['annotations']
    return next(a['frame_dir'] for a in annotations if a['label'] == label)


def test_importance(tool, tiny_models, tmp_path, capsys):
    paths = run(tool, tiny_models['crossglg'], 'importance', tmp_path)
    assert paths == [str(tmp_path / 'importance_base.png')]
    width, height = png_size(paths[0])
    assert width > height  # 25 joints across, 3 classes down (twice)
    assert capsys.readouterr().out.split() == paths
    assert os.listdir(osp.join(tiny_models['data'], 'banks'))


def test_importance_needs_jid_and_text(tool, tiny_models, tmp_path):
    with pytest.raises(ValueError, match='needs a backbone with joint '
                       r'importance .*InfoGCN baseline'):
        run(tool, tiny_models['baseline'], 'importance', tmp_path / 'a')
    with pytest.raises(ValueError, match='joint importance needs the text '
                       "bank .*'TextAnnotatedDataset' without text_bank"):
        run(tool, tiny_models['crossglg'], 'importance', tmp_path / 'b',
            '--cfg-options', 'train_dataloader.dataset.text_bank=None')
    assert not os.listdir(tmp_path)


def test_attention_compare(tool, tiny_models, tmp_path):
    names = class_names(tiny_models)
    config, checkpoint = tiny_models['baseline']
    paths = run(tool, tiny_models['crossglg'], 'attention', tmp_path,
                '--classes', names[2], '0', '--blocks', '1', '9',
                '--compare', config, checkpoint)
    slug = tool.slug
    assert paths == [
        str(tmp_path / f'attention_base_2_{slug(names[2])}.png'),
        str(tmp_path / f'attention_base_0_{slug(names[0])}.png')
    ]
    for path in paths:
        width, height = png_size(path)
        assert 300 < width < 3000 and 300 < height < 3000


def test_attention_default_out_dir_and_blocks(tool, tiny_models, tmp_path,
                                              capsys):
    config, checkpoint = tiny_models['baseline']
    paths = tool.main([config, checkpoint, 'attention', '--work-dir',
                       str(tmp_path), '--subset', 'novel', '--classes', '5',
                       *COMMON])
    assert len(paths) == 1
    assert paths[0].startswith(str(tmp_path / 'vis' / 'attention_novel_5_'))
    png_size(paths[0])
    assert capsys.readouterr().out.strip() == paths[0]


def test_skeleton(tool, tiny_models, tmp_path):
    frame_dir = novel_frame_dir(tiny_models, 4)
    paths = run(tool, tiny_models['crossglg'], 'skeleton', tmp_path,
                '--sample', frame_dir)  # --by jid: the model has JID
    assert paths == [str(tmp_path / f'skeleton_novel_{frame_dir}.png')]
    png_size(paths[0])

    config, checkpoint = tiny_models['baseline']
    paths = run(tool, tiny_models['crossglg'], 'skeleton', tmp_path / 'cmp',
                '--classes', '3', '5', '--frame', '0', '--compare', config,
                checkpoint)  # --by attention: the baseline has no JID
    assert len(paths) == 2
    single, double = png_size(
        str(tmp_path / f'skeleton_novel_{frame_dir}.png')), png_size(paths[0])
    assert double[0] > 1.5 * single[0]  # two panels side by side


@pytest.mark.parametrize('extra, message', [
    (('--by', 'jid'), 'has no joint importance'),
    (('--index', '99'), '--index 99: the novel subset .* has 12 samples'),
    (('--sample', 'nope'), "sample 'nope' is not in the novel subset"),
    (('--classes', 'fly'), r"classes \['fly'\] are not in the novel"),
    (('--frame', '40'), '--frame 40: the model input .* has 32 frames'),
])
def test_skeleton_errors(tool, tiny_models, tmp_path, extra, message):
    with pytest.raises(ValueError, match=message):
        run(tool, tiny_models['baseline'], 'skeleton', tmp_path, *extra)
    assert not os.listdir(tmp_path)
