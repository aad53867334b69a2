"""Start-up checks of a run (issue 12, item 6): the text width against the
guidance branch, ``load_from`` of another model, a folder as ``ann_file``
and a text file for another layout stop the run before its first
iteration, naming what does not fit."""
import contextlib
import io
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from crossglg_mmaction.datasets import OneShotPoseDataset, \
    TextAnnotatedDataset
from crossglg_mmaction.models.heads.cross_modal_guidance import \
    CrossModalGuidance
from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (new_annotations,
                                                save_annotations,
                                                upsert_description)
from mmaction.registry import MODELS

from tiny_run import NAMES, TinyRun


def text_file(path, layout='ntu25'):
    data = new_annotations('tiny', layout, 'authored')
    joints = get_layout(layout).joints
    for label, name in enumerate(NAMES):
        upsert_description(data, label, name, 'authored', {
            'global': f'The person does {name} with the right hand.',
            'joints': {j: f'The {j} moves during {name}.' for j in joints},
            'key_joints': [joints[0]], 'key_joints_extractor': 'lexical',
            'provenance': {'source': 'authored'}})
    save_annotations(data, path)
    return path


@pytest.fixture
def tiny(tmp_path):
    init_default_scope('mmaction')
    return TinyRun(str(tmp_path), text_file(str(tmp_path / 'text.json')))


def runner_of(tiny, **options):
    cfg = Config.fromfile(tiny.config)
    cfg.merge_from_dict(dict(work_dir=tiny.work_dir, **options))
    with contextlib.redirect_stdout(io.StringIO()):
        return Runner.from_cfg(cfg)


@pytest.fixture
def no_forward(monkeypatch):
    """Fail the test if the guidance branch ever runs."""

    def forward(*args, **kwargs):
        raise AssertionError('the check must come before the first forward')

    monkeypatch.setattr(CrossModalGuidance, 'forward', forward)


def test_text_width_is_checked_before_the_first_forward(tiny, no_forward):
    bank = 'train_dataloader.dataset.text_bank.'
    runner = runner_of(tiny, **{bank + 'encoder.dim': 16,
                                bank + 'text_channels': 16})
    with pytest.raises(ValueError, match=(
            r'the guidance branch expects 8-d text embeddings \(model\.'
            r'cls_head\.guidance\.text_channels=8\), but the text bank '
            r'.*banks/text\.authored\.tfidf_svd-d16\.k4-.*\.npz gives 16-d '
            r"ones: set model\.cls_head\.guidance\.text_channels and the "
            r"dataset's text_bank\.text_channels to the width of the text "
            r'encoder \(16 for this bank\)')):
        runner.train()


def checkpoint_of_another_model(path):
    """A CrossGLG checkpoint with 6 classes and no guidance branch."""
    cfg = Config.fromfile(path.replace('other.pth', 'tiny.py'))
    model_cfg = cfg.model.to_dict()
    model_cfg['cls_head'].update(num_classes=6, guidance=False)
    torch.save(dict(state_dict=MODELS.build(model_cfg).state_dict(),
                    meta=dict(epoch=3)), path)
    return path


def test_load_from_another_model_is_refused(tiny, no_forward):
    other = checkpoint_of_another_model(osp.join(tiny.root, 'other.pth'))
    runner = runner_of(tiny, load_from=other)
    with pytest.raises(ValueError) as err:
        runner.train()
    message = str(err.value)
    assert f'checkpoint {other} does not fit the model of {tiny.config}' in \
        message
    assert "missing keys ['cls_head.guidance." in message
    assert 'cls_head.decoder.weight: checkpoint (6, 16) vs model (4, 16)' \
        in message
    assert message.endswith(
        'Nothing was loaded. To load the weights that fit and keep the '
        'others at their initialisation, set load_from_partial = True in '
        'the config (--cfg-options load_from_partial=True)')
    assert not osp.exists(osp.join(tiny.work_dir, 'epoch_1.pth'))


def test_load_from_partial_loads_what_fits(tiny):
    other = checkpoint_of_another_model(osp.join(tiny.root, 'other.pth'))
    weights = torch.load(other, weights_only=True)['state_dict']
    runner = runner_of(tiny, load_from=other, load_from_partial=True,
                       **{'train_cfg.max_epochs': 0})
    with contextlib.redirect_stdout(io.StringIO()) as out:
        runner.train()
    state = runner.model.state_dict()
    key = 'backbone.data_bn.weight'
    assert torch.equal(state[key], weights[key])
    assert 'load_from_partial=True: ' in out.getvalue() + ''.join(
        open(f).read() for f in _logs(tiny.work_dir))


def _logs(work_dir):
    for folder, _, names in os.walk(work_dir):
        for name in names:
            if name.endswith('.log'):
                yield osp.join(folder, name)


def test_load_from_the_same_model_passes(tiny):
    path = osp.join(tiny.root, 'same.pth')
    model = MODELS.build(Config.fromfile(tiny.config).model)
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    runner = runner_of(tiny, load_from=path, **{'train_cfg.max_epochs': 0})
    runner.train()
    for key, value in model.state_dict().items():
        assert torch.equal(runner.model.state_dict()[key], value), key


def test_a_folder_as_ann_file(tiny):
    with pytest.raises(FileNotFoundError, match=(
            rf'annotation file {tiny.root} is a folder; give the annotation '
            r'file itself \(a \.pkl, \.npz or \.json, or a \.store folder; '
            r'files there: data\.pkl,'
            r' protocol\.json, text\.json\)')):
        OneShotPoseDataset(ann_file=tiny.root, pipeline=[],
                           protocol=tiny.protocol)


def test_text_file_for_another_layout_names_the_text_file(tiny):
    coco = text_file(osp.join(tiny.root, 'coco.json'), 'coco17')
    with pytest.raises(ValueError, match=(
            r"coco\.json: the text file is written for layout 'coco17', but "
            r"TextAnnotatedDataset \(.*data\.pkl, protocol 'tiny', subset "
            r"'base'\) uses 'ntu25'; give text_bank\.annotations a file for "
            r"'ntu25'")):
        TextAnnotatedDataset(
            ann_file=tiny.ann_file, pipeline=[], protocol=tiny.protocol,
            text_bank=dict(annotations=coco, text_channels=8,
                           encoder=dict(type='tfidf_svd', dim=8),
                           cache_dir=osp.join(tiny.root, 'banks')))
    assert not osp.exists(osp.join(tiny.root, 'banks'))  # nothing encoded
