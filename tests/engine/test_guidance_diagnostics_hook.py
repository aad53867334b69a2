"""GuidanceDiagnosticsHook: logs the guidance diagnostics during a real
MMEngine training run without changing the training itself."""
import glob
import json
import os.path as osp
import sys

import pytest
import torch

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (new_annotations,
                                                save_annotations,
                                                upsert_description)

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from tiny_run import NAMES, TinyRun  # noqa: E402

DIAGNOSTICS = ('guidance/skeleton_dependence', 'guidance/text_dependence',
               'guidance/top1', 'guidance/top1_skeleton_permuted',
               'guidance/grad_ratio_c_to_cls', 'jid/cosine_key_joints',
               'jid/effective_joints', 'jid/grad_ratio_calibrate_to_cls')


def write_text(path):
    data = new_annotations('tiny', 'ntu25', 'authored')
    for label, name in enumerate(NAMES):
        upsert_description(data, label, name, 'authored', {
            'global': f'The person does {name} with the right hand.',
            'joints': {j: f'The {j.replace("_", " ")} moves in {name}.'
                       for j in get_layout('ntu25').joints},
            'provenance': {'source': 'authored', 'note': 'test fixture'},
            'key_joints': ['right_elbow', 'right_hand'],
            'key_joints_extractor': 'lexical'})
    save_annotations(data, path)
    return path


def train(root, hooks):
    """Two epochs of the tiny run (4 iterations each) with ``hooks``."""
    run = TinyRun(str(root), write_text(str(root / 'text.json')))
    with open(run.config, 'a') as f:
        f.write('train_dataloader.update(batch_size=4)\n'
                'train_cfg.update(max_epochs=2, val_interval=2)\n'
                f'custom_hooks = {hooks!r}\n')
    run.train()
    state = torch.load(osp.join(run.work_dir, 'epoch_2.pth'),
                       map_location='cpu', weights_only=False)['state_dict']
    return run, state


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    hook = dict(type='GuidanceDiagnosticsHook', interval=3)
    with pytest.MonkeyPatch.context() as patch:
        root = tmp_path_factory.mktemp('with_hook')
        patch.chdir(root)
        with_hook = train(root, [dict(type='EpochSeedHook'), hook])
        root = tmp_path_factory.mktemp('without_hook')
        patch.chdir(root)
        without_hook = train(root, [dict(type='EpochSeedHook')])
    return with_hook, without_hook


def test_diagnostics_leave_the_training_unchanged(runs):
    (_, with_hook), (_, without_hook) = runs
    assert with_hook.keys() == without_hook.keys()
    for name, value in with_hook.items():
        assert torch.equal(value, without_hook[name]), name


def test_diagnostics_are_logged_every_interval(runs):
    (run, _), _ = runs
    scalars, = glob.glob(osp.join(run.work_dir, '*', 'vis_data',
                                  'scalars.json'))
    logs = [json.loads(line) for line in open(scalars)]
    train = [log for log in logs if 'loss' in log]
    assert len(train) == 8  # logger interval 1
    for name in DIAGNOSTICS:
        assert name in train[2] and name not in train[1], name
        assert all(0 <= log[name] for log in train[2:])
    assert train[2]['jid/effective_joints'] <= 25
    assert train[5]['guidance/skeleton_dependence'] != \
        train[2]['guidance/skeleton_dependence']  # measured again at iter 6


def test_interval_must_be_positive():
    from crossglg_mmaction.engine import GuidanceDiagnosticsHook
    with pytest.raises(ValueError, match='interval must be a positive'):
        GuidanceDiagnosticsHook(interval=0)
