"""Bad input for the datasets: OneShotPoseDataset's annotation files (.pkl,
.npz, .json), safe annotations, protocols, TextAnnotatedDataset's bank
against the dataset, the converters and the training runner's start-up
(the harness: tests/bad_input.py)."""
import functools
import json
import os
import os.path as osp
import pickle

import numpy as np
import pytest

from bad_input import (Cases, Payload, ToolFailed, annotation,
                       check_bad_input, first_set, run_tool, text_dict)
from crossglg_mmaction.datasets import TextAnnotatedDataset, get_protocol
from crossglg_mmaction.datasets.converters import convert_nwucla
from crossglg_mmaction.datasets.safe_annotations import (
    load_skeleton_annotations, save_skeleton_annotations)
from tiny_run import NAMES, PROTOCOL

case = Cases()


def sample_case(name, change, match):
    """A OneShotPoseDataset case: the first sample changed."""
    case('dataset', name, ValueError,
         r"data\.pkl: 1 invalid samples:\n  sample 'c0_s0': " + match)(
             lambda ws: ws.dataset(ws.pickle(change=change)))


# OneShotPoseDataset: samples of the annotation file
sample_case('keypoint-none', dict(keypoint=None),
            r"key 'keypoint': expected a numpy array, got NoneType")
sample_case('keypoint-not-an-array', dict(keypoint=[[0.0]]),
            r"key 'keypoint': expected a numpy array, got list")
sample_case('keypoint-int-dtype',
            dict(keypoint=np.zeros((1, 4, 25, 3), np.int64)),
            r"key 'keypoint': expected floats, got dtype int64")
sample_case('wrong-joint-count',
            dict(keypoint=np.zeros((1, 4, 20, 3), np.float32)),
            r"key 'keypoint': expected shape \(M, T, 25, C\) with C in "
            r'\(2, 3\), got \(1, 4, 20, 3\)')
sample_case('keypoint-3d-array',
            dict(keypoint=np.zeros((4, 25, 3), np.float32)),
            r"key 'keypoint': expected shape \(M, T, 25, C\)")
sample_case('four-coordinates',
            dict(keypoint=np.zeros((1, 4, 25, 4), np.float32)),
            r"key 'keypoint': expected shape .* got \(1, 4, 25, 4\)")
sample_case('nan-coordinates',
            dict(keypoint=np.full((1, 4, 25, 3), np.nan, np.float32)),
            r"key 'keypoint': 300 NaN/inf coordinates \(frames \[0, 1, 2, "
            r'3\]\)')
sample_case('inf-coordinate',
            dict(keypoint=np.where(np.arange(300).reshape(1, 4, 25, 3) == 80,
                                   np.inf, 0).astype(np.float32)),
            r"key 'keypoint': 1 NaN/inf coordinates \(frames \[1\]\)")
sample_case('empty-sequence',
            dict(keypoint=np.zeros((1, 0, 25, 3), np.float32)),
            r"key 'keypoint': zero-length sequence \(T=0")
sample_case('no-person', dict(keypoint=np.zeros((0, 4, 25, 3), np.float32)),
            r"key 'keypoint': no person \(M=0")
sample_case('total-frames-zero', dict(total_frames=0),
            r"key 'total_frames': expected a positive integer, got 0")
sample_case('total-frames-too-many', dict(total_frames=9),
            r"key 'total_frames': 9 exceeds the 4 frames of 'keypoint'")
sample_case('label-string', dict(label='0'),
            r"key 'label': expected an integer, got '0'")
sample_case('label-outside-class-list', dict(label=7),
            r"key 'label': 7 is outside the class list \(0\.\.5\)")
sample_case('label-negative', dict(label=-1),
            r"key 'label': -1 is outside the class list")
sample_case('keypoint-score-shape',
            dict(keypoint_score=np.ones((1, 3, 25), np.float32)),
            r"key 'keypoint_score': expected shape \(1, 4, 25\), got "
            r'\(1, 3, 25\)')


def missing_key_case(key, match):
    """A OneShotPoseDataset case: the first sample lacks ``key``."""

    def setup(ws):
        samples = ws.samples()
        del samples[0][key]
        return ws.dataset(ws.pickle(samples))

    case('dataset', f'missing-key-{key.replace("_", "-")}', ValueError,
         match)(setup)


missing_key_case('label', r"data\.pkl: 1 invalid samples:\n  sample "
                 r"'c0_s0': missing key 'label'")
missing_key_case('keypoint', r"sample 'c0_s0': missing key 'keypoint'")
missing_key_case('total_frames',
                 r"sample 'c0_s0': missing key 'total_frames'")


@case('dataset', 'truncated-pickle', ValueError,
      r'data\.pkl: cannot read the skeleton pickle \(UnpicklingError: '
      r'pickle data was truncated\)')
def _(ws):
    path = ws.pickle()
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.pkl', data[:len(data) // 2])
    return ws.dataset(path)


@case('dataset', 'empty-file', ValueError,
      r'data\.pkl: cannot read the skeleton pickle \(EOFError')
def _(ws):
    return ws.dataset(ws.write('data.pkl', b''))


@case('dataset', 'not-mmaction-format', ValueError,
      r"data\.pkl: expected a dict with an 'annotations' list")
def _(ws):
    with open(ws.path('data.pkl'), 'wb') as f:
        pickle.dump(ws.samples(), f)
    return ws.dataset(ws.path('data.pkl'))


@case('dataset', 'missing-file', FileNotFoundError,
      r'annotation file not found: .*nope\.pkl')
def _(ws):
    return ws.dataset(ws.path('nope.pkl'))


@case('dataset', 'repeated-frame-dir', ValueError,
      r"data\.pkl: frame_dir repeated in several samples: \['c0_s0'\]")
def _(ws):
    return ws.dataset(ws.pickle(ws.samples() + [annotation(0, 0)]))


@case('dataset', 'base-class-without-samples', ValueError,
      r'data\.pkl: base classes without samples: 2 \(jump up\)')
def _(ws):
    return ws.dataset(ws.pickle([a for a in ws.samples()
                                 if a['label'] != 2]))


@case('dataset', 'novel-class-without-queries', ValueError,
      r'data\.pkl: novel classes without queries \(samples other than the '
      r'exemplar\): 5 \(clap hands\)')
def _(ws):
    samples = [a for a in ws.samples()
               if a['label'] != 5 or a['frame_dir'] == 'c5_s0']
    return ws.dataset(ws.pickle(samples), subset='novel')


@case('dataset', 'exemplar-missing', ValueError,
      r"data\.pkl: exemplar 'c4_s1' of novel class 4 \(drink water\) "
      r"\(protocol 'tiny'\) is missing")
def _(ws):
    samples = [a for a in ws.samples() if a['frame_dir'] != 'c4_s1']
    return ws.dataset(ws.pickle(samples), subset='novel')


@case('dataset', 'exemplar-of-another-class', ValueError,
      r"exemplar 'c4_s1' of class 4 \(drink water\) has label 3")
def _(ws):
    samples = ws.samples()
    next(a for a in samples if a['frame_dir'] == 'c4_s1')['label'] = 3
    return ws.dataset(ws.pickle(samples), subset='novel')


@case('dataset', 'unknown-split', ValueError,
      r"data\.pkl: split 'xsub_train' not found; splits: \[\]")
def _(ws):
    return ws.dataset(ws.pickle(), split='xsub_train')


@case('dataset', 'unknown-layout', KeyError,
      r"unknown skeleton layout 'kinect_v3'; known layouts")
def _(ws):
    return ws.dataset(ws.pickle(), layout='kinect_v3')


@case('dataset', 'layout-differs-from-protocol', ValueError,
      r"layout 'kinect_v1_20' does not match the layout 'ntu25' of protocol "
      r"'tiny'")
def _(ws):
    return ws.dataset(ws.pickle(), layout='kinect_v1_20')


@case('dataset', 'unknown-subset', ValueError,
      r"subset must be one of \('base', 'novel', 'dev'\), got 'test'")
def _(ws):
    return ws.dataset(ws.pickle(), subset='test')


@case('dataset', 'num-base-classes-zero', ValueError,
      r"protocol 'tiny' \(<dict>\): num_base_classes must be an integer in "
      r'1\.\.4 \(the auxiliary classes\), got 0')
def _(ws):
    return ws.dataset(ws.pickle(), num_base_classes=0)


@case('dataset', 'num-base-classes-too-many', ValueError,
      r'num_base_classes must be an integer in 1\.\.4 .* got 9')
def _(ws):
    return ws.dataset(ws.pickle(), num_base_classes=9)


@case('dataset', 'base-classes-overlap-novel', ValueError,
      r"protocol 'tiny' \(<dict>\): base_classes overlap the novel classes "
      r'\[4\]')
def _(ws):
    return ws.dataset(ws.pickle(), base_classes=[0, 4])


@case('dataset', 'base-class-unknown-label', ValueError,
      r'base_classes: unknown labels \[9\]; labels are integers in 0\.\.5')
def _(ws):
    return ws.dataset(ws.pickle(), base_classes=[0, 9])


@case('dataset', 'class-names-count', ValueError,
      r"names\.txt: 5 class names, but protocol 'tiny' has num_classes=6")
def _(ws):
    names = ws.write('names.txt', '\n'.join(NAMES[:5]))
    return ws.dataset(ws.pickle(), class_names=names)


@case('dataset', 'class-names-file-missing', FileNotFoundError,
      r'class_names file not found: .*names\.txt')
def _(ws):
    return ws.dataset(ws.pickle(), class_names=ws.path('names.txt'))


@case('dataset', 'clip-len-zero', ValueError,
      r'TemporalCropResize.*clip_len must be >= 1, got 0')
def _(ws):
    return ws.dataset(ws.pickle(), pipeline=[
        dict(type='TemporalCropResize', clip_len=0)])


# OneShotPoseDataset: the pickle-free formats
@case('dataset', 'npz-truncated', ValueError,
      r'data\.npz: not a readable \.npz without pickle')
def _(ws):
    path = ws.path('data.npz')
    save_skeleton_annotations(dict(annotations=ws.samples()), path)
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.npz', data[:len(data) // 2])
    return ws.dataset(path)


@case('dataset', 'npz-holding-a-pickle', ValueError,
      r'evil\.npz: not a readable \.npz without pickle \(ValueError: Object '
      r'arrays cannot be loaded when allow_pickle=False\)')
def _(ws):
    marker = ws.path('pwned')
    with open(ws.path('evil.npz'), 'wb') as f:
        np.savez(f, meta=np.array([Payload(marker)], dtype=object))
    return ws.dataset(ws.path('evil.npz'))


@case('dataset', 'npz-offset-outside-array', ValueError,
      r"data\.npz: sample 'c0_s0': key 'keypoint': dtype float32, shape "
      r'\[1, 4, 25, 3\] at offset 99999 do not fit the stored array')
def _(ws):
    path = ws.path('data.npz')
    save_skeleton_annotations(dict(annotations=ws.samples()), path)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays['meta']))
    meta['samples'][0]['arrays']['keypoint'][2] = 99999
    arrays['meta'] = np.array(json.dumps(meta))
    with open(path, 'wb') as f:
        np.savez(f, **arrays)
    return ws.dataset(path)


@case('dataset', 'npz-pickle-renamed', ValueError,
      r'data\.npz: not a readable \.npz without pickle \(ValueError: This '
      r'file contains pickled \(object\) data')
def _(ws):
    payload = pickle.dumps(dict(annotations=[Payload(ws.path('pwned'))]))
    return ws.dataset(ws.write('data.npz', payload))


@case('dataset', 'json-ragged-keypoint', ValueError,
      r"data\.json: sample 'c0_s0': key 'keypoint' is not a numeric array")
def _(ws):
    path = ws.path('data.json')
    save_skeleton_annotations(dict(annotations=ws.samples()), path)
    with open(path) as f:
        data = json.load(f)
    data['annotations'][0]['keypoint'][0][1] = [[0.0]]
    return ws.dataset(ws.json('data.json', data))


@case('dataset', 'json-malformed', ValueError,
      r'data\.json: not valid JSON: .* at line 1, column')
def _(ws):
    return ws.dataset(ws.write('data.json', '{"annotations": [}'))


@case('dataset', 'json-other-format', ValueError,
      r"data\.json: format is 'coco', expected "
      r"'crossglg-skeleton-annotations'")
def _(ws):
    return ws.dataset(ws.json('data.json', dict(format='coco',
                                                annotations=[])))


@case('dataset', 'json-nan-coordinates', ValueError,
      r"data\.json: 1 invalid samples:\n  sample 'c0_s0': key 'keypoint': "
      r'300 NaN/inf')
def _(ws):
    samples = ws.samples()
    samples[0]['keypoint'][:] = np.nan
    save_skeleton_annotations(dict(annotations=samples),
                              ws.path('data.json'))
    return ws.dataset(ws.path('data.json'))


@case('safe-annotations', 'save-object-array', ValueError,
      r"out\.npz: sample 'c0_s0': key 'names': dtype object cannot be stored "
      r'without pickle')
def _(ws):
    samples = ws.samples()
    samples[0]['names'] = np.array(['a', None], dtype=object)
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=samples), ws.path('out.npz'))


@case('safe-annotations', 'save-unsupported-value', ValueError,
      r"out\.npz: sample 'c0_s0': key 'when': datetime values cannot be "
      r'stored without pickle')
def _(ws):
    import datetime
    samples = ws.samples()
    samples[0]['when'] = datetime.datetime(2024, 1, 1)
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=samples), ws.path('out.npz'))


@case('safe-annotations', 'json-extra-array', ValueError,
      r"out\.json: sample 'c0_s0': key 'bbox': the JSON format stores arrays "
      r"only in \('keypoint', 'keypoint_score'\); use \.npz")
def _(ws):
    samples = ws.samples()
    samples[0]['bbox'] = np.zeros(4)
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=samples), ws.path('out.json'))


@case('safe-annotations', 'wrong-suffix', ValueError,
      r'out\.pkl: expected a file name ending in \.npz or \.json')
def _(ws):
    return functools.partial(save_skeleton_annotations,
                             dict(annotations=ws.samples()),
                             ws.path('out.pkl'))


@case('safe-annotations', 'npz-without-meta', ValueError,
      r"x\.npz: no 'meta' entry")
def _(ws):
    with open(ws.path('x.npz'), 'wb') as f:
        np.savez(f, keypoint=np.zeros(3))
    return functools.partial(load_skeleton_annotations, ws.path('x.npz'))


# protocols (JSON/YAML files and dicts)
def protocol_case(name, changes, match):
    case('protocol', name, ValueError, match)(
        lambda ws: functools.partial(get_protocol, ws.json(
            'protocol.json', dict(PROTOCOL, **changes))))


protocol_case('novel-overlaps-base', dict(base_classes=[0, 4]),
              r"protocol 'tiny' \(.*protocol\.json\): novel classes \[4\] "
              r'also appear in base_classes')
protocol_case('novel-overlaps-dev', dict(dev_classes=[4],
                                          dev_exemplars={'4': 'c4_s2'}),
              r'novel classes \[4\] also appear in dev_classes')
protocol_case('duplicate-exemplars', dict(exemplars={'4': 'c4_s1',
                                                      '5': 'c4_s1'}),
              r"exemplars used for more than one class: \['c4_s1'\]")
protocol_case('exemplar-for-base-class',
              dict(exemplars={'4': 'c4_s1', '5': 'c5_s0', '2': 'c2_s0'}),
              r"exemplars: exemplar 'c2_s0' is given for label 2, which is "
              r'not a novel class \(\[4, 5\]\)')
protocol_case('novel-class-without-exemplar', dict(exemplars={'4': 'c4_s1'}),
              r'exemplars: novel classes \[5\] have no exemplar')
protocol_case('label-outside-range', dict(novel_classes=[4, 6]),
              r'novel_classes: unknown labels \[6\]; labels are integers in '
              r'0\.\.5')
protocol_case('duplicate-novel-labels', dict(novel_classes=[4, 4, 5]),
              r'novel_classes: duplicate labels \[4\]')
protocol_case('num-classes-zero', dict(num_classes=0),
              r'num_classes must be an integer >= 2, got 0')
protocol_case('unknown-key', dict(novel=[4]),
              r"missing keys \[\], unknown keys \['novel'\]")
protocol_case('unknown-layout', dict(layout='kinect_v3'),
              r"layout: unknown skeleton layout 'kinect_v3'")
protocol_case('class-names-count', dict(class_names=['a', 'b']),
              r'class_names: 2 names for num_classes=6')
protocol_case('empty-novel-classes', dict(novel_classes=[], exemplars={}),
              r'novel_classes is empty')


@case('protocol', 'missing-key', ValueError,
      r"missing keys \['novel_classes'\]")
def _(ws):
    data = dict(PROTOCOL)
    del data['novel_classes']
    return functools.partial(get_protocol, ws.json('protocol.json', data))


@case('protocol', 'malformed-json', ValueError,
      r'protocol file .*protocol\.json is not valid JSON')
def _(ws):
    return functools.partial(get_protocol,
                             ws.write('protocol.json', '{"name": '))


@case('protocol', 'malformed-yaml', ValueError,
      r'protocol file .*protocol\.yaml is not valid YAML')
def _(ws):
    return functools.partial(get_protocol,
                             ws.write('protocol.yaml', 'name: [tiny\n'))


@case('protocol', 'unknown-name', ValueError,
      r"unknown one-shot protocol 'ntu99': give one of \('ntu120'")
def _(ws):
    return functools.partial(get_protocol, 'ntu99')


# TextAnnotatedDataset: the bank against the dataset (both sides named)
@case('text-dataset', 'text-for-another-class-list', ValueError,
      r'text\.json: class label\(s\) \[2, 3\] of the data set are missing '
      r'from the file \(it has 2 classes, labels 0\.\.1\)')
def _(ws):
    return ws.text_dataset(ws.text(names=NAMES[:2]))


@case('text-dataset', 'text-with-other-class-names', ValueError,
      r"text\.json: class names differ from the data set: label 0: data set "
      r"'wave hand', file 'nod head'")
def _(ws):
    return ws.text_dataset(ws.text(names=('nod head', ) + NAMES[1:]))


@case('text-dataset', 'text-for-another-layout', ValueError,
      r"text\.json: the text file is written for layout 'coco17', but "
      r"TextAnnotatedDataset \(.*data\.pkl, protocol 'tiny', subset 'base'\)"
      r" uses 'ntu25'")
def _(ws):
    return ws.text_dataset(ws.text(layout='coco17'))


@case('text-dataset', 'other-embedding-width', ValueError,
      r'banks/text\..*\.npz holds 8-d text embeddings but '
      r"TextAnnotatedDataset \(.*protocol 'tiny', subset 'base'\) "
      r'\(text_channels=1536\) expects 1536-d', may_write=('banks/*.npz', ))
def _(ws):
    return ws.text_dataset(text_channels=1536)


@case('text-dataset', 'class-without-key-joints', ValueError,
      r"no key joints for class\(es\) \['wave hand'\]; the calibration loss "
      r'needs at least one per class', may_write=('banks/*.npz', ))
def _(ws):
    data = text_dict()
    first_set(data)['key_joints'] = []
    return ws.text_dataset(ws.json('text.json', data))


@case('text-dataset', 'text-bank-config-keys', ValueError,
      r"TextAnnotatedDataset text_bank: unknown keys \['dims'\], missing "
      r"keys \['text_channels'\]")
def _(ws):
    return functools.partial(
        TextAnnotatedDataset, ann_file=ws.pickle(), pipeline=[],
        protocol=PROTOCOL, text_bank=dict(annotations=ws.text(),
                                          encoder=dict(type='tfidf_svd'),
                                          dims=8))


# converters: NW-UCLA JSON, the pickle validator, pickle -> npz
def nwucla_dir(ws, change=None):
    folder = ws.path('all_sqe')
    os.makedirs(folder)
    for action, label in ((1, 1), (2, 2), (3, 3)):
        stem = f'a{action:02d}_s01_e00_v01'
        data = dict(file_name=stem, label=label,
                    skeletons=np.zeros((3, 20, 3)).tolist())
        if change and action == 2:
            change(data)
        with open(osp.join(folder, f'{stem}.json'), 'w') as f:
            json.dump(data, f)
    return folder


def nwucla_case(name, change, match):

    def setup(ws):
        return functools.partial(run_tool, 'data.nwucla_to_pickle',
                                 nwucla_dir(ws, change),
                                 ws.path('out.pkl'))

    case('nwucla-converter', name, ToolFailed,
         r'nwucla_to_pickle\.py: error: .*all_sqe: 1 invalid files:\n  '
         r'.*a02_s01_e00_v01\.json: ' + match)(setup)


nwucla_case('wrong-joint-count',
            lambda d: d['skeletons'][1].pop(),
            r"key 'skeletons': frame 1 has 19 joints, expected 20 joints of "
            r'3 coordinates')
nwucla_case('empty-sequence', lambda d: d.update(skeletons=[]),
            r"key 'skeletons': empty sequence \(T=0\)")
nwucla_case('label-outside', lambda d: d.update(label=11),
            r"key 'label': 11 is outside 1\.\.10")
nwucla_case('label-differs-from-file-name', lambda d: d.update(label=3),
            r"key 'label': 3 does not match action a02 \(label 2\)")
nwucla_case('missing-key', lambda d: d.pop('skeletons'),
            r"missing keys \['skeletons'\]")
nwucla_case('nan-coordinate',
            lambda d: d['skeletons'][0][0].__setitem__(0, float('nan')),
            r"key 'skeletons': NaN/inf coordinates in frames \[0\]")


@case('nwucla-converter', 'malformed-json', ToolFailed,
      r'a01_s01_e00_v01\.json: not readable JSON')
def _(ws):
    folder = nwucla_dir(ws)
    with open(osp.join(folder, 'a01_s01_e00_v01.json'), 'w') as f:
        f.write('{"label": 1, ')
    return functools.partial(run_tool, 'data.nwucla_to_pickle', folder,
                             ws.path('out.npz'))


@case('nwucla-converter', 'missing-folder', FileNotFoundError,
      r'NW-UCLA folder not found: .*nope')
def _(ws):
    return functools.partial(convert_nwucla, ws.path('nope'),
                             ws.path('out.pkl'))


@case('validate-pickle', 'truncated-pickle', ToolFailed,
      r"exited with 1.*data\.pkl: INVALID\n  1 errors:\n    - cannot load: "
      r'.*data\.pkl: cannot read the skeleton pickle')
def _(ws):
    path = ws.pickle()
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.pkl', data[:100])
    return functools.partial(run_tool, 'data.validate_pickle', path)


@case('validate-pickle', 'wrong-layout', ToolFailed,
      r"exited with 1.*sample 'c0_s0': key 'keypoint': expected shape "
      r'\(M, T, 20, C\)')
def _(ws):
    return functools.partial(run_tool, 'data.validate_pickle',
                             ws.pickle(), '--layout', 'kinect_v1_20')


@case('validate-pickle', 'labels-outside-num-classes', ToolFailed,
      r"exited with 1.*sample 'c5_s0': key 'label': 5 is outside the class "
      r'list \(0\.\.4\)')
def _(ws):
    return functools.partial(run_tool, 'data.validate_pickle',
                             ws.pickle(), '--num-classes', 5)


@case('pickle-to-npz', 'truncated-pickle', ToolFailed,
      r'pickle_to_npz\.py: error: .*data\.pkl: cannot read the skeleton '
      r'pickle \(UnpicklingError')
def _(ws):
    path = ws.pickle()
    with open(path, 'rb') as f:
        data = f.read()
    ws.write('data.pkl', data[:100])
    return functools.partial(run_tool, 'data.pickle_to_npz', path,
                             ws.path('out.npz'))


@case('pickle-to-npz', 'invalid-sample', ToolFailed,
      r"pickle_to_npz\.py: error: not converted, .*out\.npz is not written:"
      r"\n.*data\.pkl: INVALID.*sample 'c0_s0': key 'keypoint': 300 "
      r'NaN/inf')
def _(ws):
    return functools.partial(
        run_tool, 'data.pickle_to_npz', ws.pickle(change=dict(
            keypoint=np.full((1, 4, 25, 3), np.nan, np.float32))),
        ws.path('out.npz'))


@case('pickle-to-npz', 'output-suffix', ToolFailed,
      r"exited with 2.*out_file must end in \.npz or \.json, got "
      r"'.*out\.pkl'")
def _(ws):
    return functools.partial(run_tool, 'data.pickle_to_npz', ws.pickle(),
                             ws.path('out.pkl'))


# training runner: absurd dataloader values stop at start-up
@case('training', 'negative-batch-size', ValueError,
      r'batch_size should be a positive integer value, but got '
      r'batch_size=-16')
def _(ws):
    from mmengine.runner import Runner
    return functools.partial(Runner.build_dataloader, dict(
        batch_size=-16, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='OneShotPoseDataset', ann_file=ws.pickle(),
                     protocol=PROTOCOL, pipeline=[])))


@pytest.mark.parametrize('setup, error, match, may_write', case.params)
def test_bad_input(setup, error, match, may_write, ws):
    check_bad_input(setup, error, match, may_write, ws)
