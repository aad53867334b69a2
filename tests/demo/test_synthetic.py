"""The synthetic skeleton data set: generator, text annotations and tool."""
import collections
import json
import os.path as osp
import pickle
import re

import numpy as np
import pytest

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction_demo.synthetic import (
    DEFAULT_CLASSES, PRIMITIVES, ActionClass, Move, SyntheticSpec,
    class_catalog, generate_dataset, generate_sample, perform, subject_body,
    synthetic_annotations, synthetic_protocol, write_synthetic)
from crossglg_mmaction_demo.synthetic.annotations import move_clauses
from crossglg_mmaction_demo.synthetic.classes import LABELS
from crossglg_mmaction_demo.synthetic.phrases import JOINT_SUBJECTS, TEXTS
from crossglg_mmaction_demo.synthetic.primitives import MotionParams
from tool_runner import run_main

LAYOUT = get_layout('ntu25')
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SHIPPED = osp.join(ROOT, 'crossglg_mmaction', 'data', 'synthetic.json')
SMALL = SyntheticSpec(samples_per_class=10, num_subjects=5)


@pytest.fixture(scope='module')
def small():
    return generate_dataset(SMALL)


def joint(name):
    return LAYOUT.index(name)


def test_default_classes():
    names = [c.name for c in class_catalog()]
    assert len(names) == 20 and len(set(names)) == 20
    assert names[0] == 'raise right arm'
    assert names[12] == 'raise right arm then nod head'
    spec = SyntheticSpec()
    assert spec.base_labels == list(range(12))
    assert spec.novel_labels == list(range(12, 20))
    # Novel classes recombine primitives that the base classes teach.
    base = {m.primitive for c in DEFAULT_CLASSES[:12] for m in c.moves}
    novel = {m.primitive for c in DEFAULT_CLASSES[12:] for m in c.moves}
    assert novel <= base


def test_catalog_extends_stably():
    long = class_catalog(120)
    assert long[:20] == DEFAULT_CLASSES
    assert class_catalog(60) == long[:60]
    assert len({frozenset(c.moves) for c in long}) == 120
    assert all(1 <= len(c.moves) <= 3 for c in long)


def test_class_spec_errors():
    with pytest.raises(ValueError, match='needs side'):
        Move('raise_arm')
    with pytest.raises(ValueError, match='unknown motion primitive'):
        Move('jump')
    with pytest.raises(ValueError, match='same body region'):
        ActionClass(((Move('raise_arm', 'right'), Move('wave_hand',
                                                       'right')), ))


@pytest.mark.parametrize('options, key', [
    (dict(num_classes=1), 'num_classes'),
    (dict(num_classes=201), 'num_classes'),
    (dict(num_novel=20), 'num_novel'),
    (dict(num_novel=0), 'num_novel'),
    (dict(samples_per_class=1), 'samples_per_class'),
    (dict(frames=(60, 40)), 'frames'),
    (dict(frames=(8, 20)), 'frames'),
    (dict(seed=-1), 'seed'),
    (dict(seed=1.5), 'seed'),
    (dict(second_person=1.5), 'second_person'),
])
def test_spec_validation(options, key):
    with pytest.raises(ValueError, match=f'synthetic data: {key} must be'):
        SyntheticSpec(**options)


def test_deterministic():
    spec = SyntheticSpec(second_person=1.0)
    a, b = generate_sample(spec, 7, 3), generate_sample(spec, 7, 3)
    np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
    other = generate_sample(SyntheticSpec(second_person=1.0, seed=1), 7, 3)
    assert a['frame_dir'] == other['frame_dir']
    assert a['keypoint'].shape != other['keypoint'].shape or not np.allclose(
        a['keypoint'], other['keypoint'], atol=0.05)
    # A sample does not depend on the rest of the data set.
    tiny = SyntheticSpec(num_classes=8, num_novel=2, samples_per_class=4)
    full = generate_dataset(tiny)['annotations']
    np.testing.assert_array_equal(full[13]['keypoint'],
                                  generate_sample(tiny, 3, 1)['keypoint'])


def test_format(small):
    annos = small['annotations']
    assert len(annos) == 20 * 10
    assert len({a['frame_dir'] for a in annos}) == len(annos)
    persons = collections.Counter()
    for a in annos:
        k = a['keypoint']
        assert k.dtype == np.float32 and k.ndim == 4
        assert k.shape[0] in (1, 2) and k.shape[2:] == (25, 3)
        assert k.shape[1] == a['total_frames'] and 40 <= k.shape[1] <= 60
        assert np.isfinite(k).all() and (np.abs(k).sum((1, 2, 3)) > 0).all()
        assert re.fullmatch(r'S000P\d{3}R\d{3}A\d{3}', a['frame_dir'])
        assert int(a['frame_dir'][-3:]) == a['label'] + 1
        assert int(a['frame_dir'][5:8]) == a['subject']
        persons[k.shape[0]] += 1
        # Kinect camera space: metres, y up, about 3 m deep.
        head, feet = k[0, :, joint('head')], k[0, :, joint('left_foot')]
        height = head[:, 1] - feet[:, 1]
        assert np.median(height) > 1.2 and height.min() > 0.5
        assert 2.3 < k[0, :, :, 2].mean() < 3.7
    assert 0 < persons[2] < persons[1]
    split = small['split']
    assert split['all'] == [a['frame_dir'] for a in annos]
    assert sorted(split['base'] + split['novel']) == sorted(split['all'])
    assert sorted(split['base_train'] + split['base_val']) == sorted(
        split['base'])
    assert len(split['novel']) == 8 * 10 and split['base_val']


def test_second_person_option():
    single = generate_sample(SyntheticSpec(second_person=0.0), 5, 0)
    double = generate_sample(SyntheticSpec(second_person=1.0), 5, 0)
    assert single['keypoint'].shape[0] == 1
    assert double['keypoint'].shape[0] == 2
    apart = np.linalg.norm(double['keypoint'][0, :, 1] -
                           double['keypoint'][1, :, 1], axis=-1)
    assert (apart > 0.5).all()


def bone_lengths(keypoint):
    child, parent = zip(*LAYOUT.edges)
    return np.linalg.norm(keypoint[..., child, :] - keypoint[..., parent, :],
                          axis=-1)


def test_bone_lengths():
    clean = SyntheticSpec(noise=0.0, second_person=0.0)
    for label in (0, 3, 8, 10, 19):
        sample = generate_sample(clean, label, 2)
        lengths = bone_lengths(sample['keypoint'][0])
        body = subject_body(clean.seed, sample['subject'])
        child = [c for c, _ in LAYOUT.edges]
        np.testing.assert_allclose(lengths,
                                   np.broadcast_to(
                                       body.bone_lengths()[child],
                                       lengths.shape),
                                   atol=1e-5)
    noisy = generate_sample(SyntheticSpec(), 8, 2)['keypoint'][0]
    assert bone_lengths(noisy).std(0).max() < 0.015
    subjects = np.stack(
        [subject_body(0, s).bone_lengths() for s in range(1, 11)])
    thigh = subjects[:, joint('left_knee')]
    assert thigh.std() / thigh.mean() > 0.03
    assert not np.allclose(subject_body(1, 1).offsets,
                           subject_body(0, 1).offsets)


def test_motion_matches_text():
    """Sides and body parts move as the class names say."""
    body, rng = subject_body(0, 1), np.random.default_rng(0)

    def run(*stage):
        return perform(ActionClass((tuple(Move(*m) for m in stage), )),
                       body, 50, rng)

    raised = run(('raise_arm', 'right'))
    top = raised[:, joint('head'), 1].max()
    assert raised[:, joint('right_wrist'), 1].max() > top
    assert raised[:, joint('left_wrist'), 1].max() < top - 0.5
    # The person's right is +x and they face -z (towards the camera).
    assert (raised[:, joint('right_shoulder'), 0] > 0).all()
    assert (raised[0, joint('right_foot'), 2] <
            raised[0, joint('right_ankle'), 2])
    # Feet stay on the floor; a sideways step travels that way.
    stepped = run(('side_step', 'left'))
    feet = stepped[:, [joint('left_foot'), joint('right_foot')], 1]
    assert np.allclose(feet.min(1), 0.0)
    assert stepped[-1, joint('spine_base'), 0] < -0.1
    squat = run(('squat', ))
    assert squat[:, joint('spine_base'), 1].min() < \
        squat[0, joint('spine_base'), 1] - 0.2
    waving = Move('wave_hand', 'left')
    rotated = waving.spec.rotations(
        np.linspace(0, 1, 5), 'left', MotionParams(), rng)
    assert rotated and all(j.startswith('left_') for j in rotated)
    kicked = run(('kick_leg', 'left'))
    assert kicked[:, joint('left_ankle'), 1].max() > 0.3
    assert kicked[:, joint('right_ankle'), 1].max() < 0.15


def motion_features(keypoint):
    """Per-joint log motion energy and log spread about the mid-spine."""
    body = keypoint[0] - keypoint[0, :, joint('spine_mid')][:, None]
    energy = (np.diff(body, axis=0)**2).sum(-1).mean(0)
    spread = body.std(0).sum(-1)
    return np.log(np.concatenate([energy, spread]) + 1e-5)


def test_classes_distinguishable(small):
    annos = small['annotations']
    x = np.stack([motion_features(a['keypoint']) for a in annos])
    y = np.array([a['label'] for a in annos])
    subject = np.array([a['subject'] for a in annos])
    train = subject <= 3
    x = (x - x[train].mean(0)) / x[train].std(0)
    centroids = np.stack([x[train & (y == c)].mean(0) for c in range(20)])
    pred = ((x[~train, None] - centroids)**2).sum(-1).argmin(1)
    assert (pred == y[~train]).mean() > 0.8  # chance: 0.05

    # One-shot: each novel class from its protocol exemplar alone.
    protocol = synthetic_protocol(SMALL)
    names = np.array([a['frame_dir'] for a in annos])
    novel = protocol['novel_classes']
    support = np.stack([
        x[names == protocol['exemplars'][str(c)]][0] for c in novel])
    query = np.isin(y, novel) & ~np.isin(
        names, list(protocol['exemplars'].values()))
    pred = np.array(novel)[((x[query, None] - support)**2).sum(-1).argmin(1)]
    assert (pred == y[query]).mean() > 0.6  # chance: 0.125


def test_pose_dataset_pipeline(tmp_path):
    from mmaction.registry import DATASETS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    spec = SyntheticSpec(
        num_classes=6, num_novel=2, samples_per_class=4, second_person=0.3)
    write_synthetic(spec, str(tmp_path))
    protocol = json.loads((tmp_path / 'protocol.json').read_text())
    assert protocol == synthetic_protocol(spec)
    assert protocol['novel_classes'] == [4, 5]
    assert (tmp_path / 'classes.txt').read_text().splitlines() == [
        c.name for c in spec.classes
    ]

    def pipeline(mode):
        return [
            dict(type='PreNormalize3D'),
            dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
            dict(type='UniformSampleFrames', clip_len=32),
            dict(type='PoseDecode'),
            dict(type='FormatGCNInput', num_person=2, mode=mode),
            dict(type='PackActionInputs')
        ]

    ann_file = str(tmp_path / 'synthetic_3d.pkl')
    novel = DATASETS.build(
        dict(type='PoseDataset', ann_file=ann_file, split='novel',
             pipeline=pipeline('zero')))
    assert len(novel) == 2 * 4
    names = [novel.get_data_info(i)['frame_dir'] for i in range(len(novel))]
    assert set(protocol['exemplars'].values()) <= set(names)
    for i in range(len(novel)):
        item = novel[i]
        assert tuple(item['inputs'].shape) == (1, 2, 32, 25, 3)
        assert item['data_samples'].gt_label.item() in (4, 5)
    # One-person samples hold one person, so MMAction2's 'loop' mode can
    # copy it into the empty slot (as InfoGCN does).
    base = DATASETS.build(
        dict(type='PoseDataset', ann_file=ann_file, split='base',
             pipeline=pipeline('loop')))
    with open(ann_file, 'rb') as f:
        annos = {a['frame_dir']: a for a in pickle.load(f)['annotations']}
    single = next(i for i in range(len(base)) if annos[base.get_data_info(
        i)['frame_dir']]['keypoint'].shape[0] == 1)
    inputs = base[single]['inputs'][0]
    assert inputs[0].abs().sum() > 0 and (inputs[0] == inputs[1]).all()


def lexical_reading(text):
    from crossglg_mmaction.text.keyjoints import lexical_key_joints
    return set(lexical_key_joints(text, LAYOUT))


def test_annotations_follow_format():
    from crossglg_mmaction.text.annotations import validate_annotations
    spec = SyntheticSpec(num_classes=60, num_novel=10)
    data = synthetic_annotations(spec)
    validate_annotations(data, '<synthetic>', 'ntu25', range(60))
    texts = collections.Counter()
    for label, (entry, action) in enumerate(zip(data['classes'],
                                                spec.classes)):
        assert entry['label'] == label and entry['name'] == action.name
        desc = entry['descriptions']['authored']
        assert list(desc['joints']) == list(LAYOUT.joints)
        sentences = re.split(r'(?<=[.!?])\s+', desc['global'].strip())
        assert 3 <= len(sentences) <= 5
        # The key joints are what the global text names, and every body
        # part whose joints a primitive rotates is among them.
        assert set(desc['key_joints']) == lexical_reading(desc['global'])
        assert desc['key_joints'] == [
            j for j in LAYOUT.joints if j in desc['key_joints']
        ]
        assert desc['provenance']['source'] == 'generated'
        texts.update(desc['joints'].values())
    assert max(texts.values()) == 1, 'joint texts must not repeat'


def test_joint_clauses_name_their_joint():
    assert set(TEXTS) == set(PRIMITIVES) == set(LABELS)
    for name in TEXTS:
        for move in (Move(name, 'right'), Move(name, 'left')) \
                if PRIMITIVES[name].sided else (Move(name), ):
            clauses = move_clauses(move)
            assert clauses, name
            for joint_name, (_, clause) in clauses.items():
                side, _, stem = joint_name.partition('_')
                if side not in ('left', 'right'):
                    side, stem = None, joint_name
                subject = JOINT_SUBJECTS[stem].format(s=side)
                assert clause.startswith(subject), (name, joint_name, clause)


def test_shipped_annotations_are_generated():
    with open(SHIPPED, encoding='utf-8') as f:
        shipped = json.load(f)
    assert shipped == synthetic_annotations(), (
        'crossglg_mmaction/data/synthetic.json is stale; regenerate it with '
        'python tools/data/make_synthetic.py --annotations '
        'crossglg_mmaction/data/synthetic.json')


def test_tool(tmp_path, capsys):
    out = tmp_path / 'out'
    run_main('data.make_synthetic', [
        '--out-dir', str(out), '--num-classes', '22', '--num-novel', '4',
        '--samples-per-class', '2', '--frames', '16', '20'
    ])
    assert sorted(p.name for p in out.iterdir()) == [
        'annotations.json', 'classes.txt', 'protocol.json',
        'synthetic_3d.pkl'
    ]
    annotations = json.loads((out / 'annotations.json').read_text())
    assert len(annotations['classes']) == 22
    with open(out / 'synthetic_3d.pkl', 'rb') as f:
        data = pickle.load(f)
    assert len(data['annotations']) == 44
    assert all(16 <= a['total_frames'] <= 20 for a in data['annotations'])
    # The default class list uses the shipped annotations.
    run_main('data.make_synthetic', [
        '--out-dir', tmp_path / 'default', '--samples-per-class', 2,
        '--frames', 16])
    assert not (tmp_path / 'default' / 'annotations.json').exists()
    assert "the shipped 'synthetic' file" in capsys.readouterr().out

    target = tmp_path / 'synthetic.json'
    run_main('data.make_synthetic', ['--annotations', target])
    assert json.loads(target.read_text()) == synthetic_annotations()


@pytest.mark.parametrize('argv, message', [
    ([], 'nothing to do'),
    (['--out-dir', 'x', '--frames', '20', '30', '40'], '--frames takes'),
    (['--out-dir', 'x', '--num-novel', '20'], 'num_novel must be'),
])
def test_tool_rejects_bad_options(argv, message, capsys):
    with pytest.raises(SystemExit):
        run_main('data.make_synthetic', argv)
    assert message in capsys.readouterr().err
