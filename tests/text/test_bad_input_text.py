"""Bad input for the text toolchain: annotation files, text banks,
tools/generate_descriptions.py against the fake endpoint and
tools/import_descriptions.py (the harness: tests/bad_input.py)."""
import functools
import json
import os
from unittest import mock

import numpy as np
import pytest

from bad_input import (Cases, ToolFailed, check_bad_input, first_set,
                       run_tool, text_dict)
from crossglg_mmaction.text.annotations import load_annotations
from crossglg_mmaction.text.bank import get_text_bank, load_text_bank
from tiny_run import NAMES

KEY_ENV = 'OPENAI_API_KEY'

case = Cases()


# text annotation files
def text_case(name, mutate, match, error=ValueError):

    def setup(ws):
        data = text_dict()
        mutate(data)
        return functools.partial(load_annotations,
                                 ws.json('text.json', data))

    case('text-annotations', name, error, match)(setup)


text_case('wrong-joint-name',
          lambda d: first_set(d)['joints'].update(
              left_hnd=first_set(d)['joints'].pop('left_hand')),
          r"text\.json: class 0 \('wave hand'\): description set 'authored'"
          r": joints do not match layout 'ntu25': missing \['left_hand'\], "
          r"extra \['left_hnd'\]")
text_case('missing-joint', lambda d: first_set(d)['joints'].pop('head'),
          r"class 0 \('wave hand'\).*missing \['head'\], extra \[\]")
text_case('empty-global-text', lambda d: first_set(d).update({'global': ' '}),
          r"class 0 \('wave hand'\): description set 'authored': 'global' "
          r"must be a non-empty string, got ' '")
text_case('duplicate-labels',
          lambda d: d['classes'][1].update(label=0),
          r"text\.json: duplicate class label 0 \(classes 'wave hand' and "
          r"'sit down'\)")
text_case('unknown-key-joint',
          lambda d: first_set(d).update(key_joints=['tail']),
          r"key_joints names joints \['tail'\] that layout 'ntu25' does not "
          r'have')
text_case('key-joint-twice',
          lambda d: first_set(d).update(key_joints=['head', 'head']),
          r"key_joints lists a joint twice: \['head', 'head'\]")
text_case('unknown-layout', lambda d: d.update(layout='kinect_v3'),
          r"text\.json: unknown skeleton layout 'kinect_v3'")
text_case('wrong-format', lambda d: d.update(format='csv'),
          r"text\.json: \"format\" is 'csv', expected "
          r"'crossglg-text-annotations'")
text_case('unsupported-version', lambda d: d.update(version=2),
          r'text\.json: unsupported version 2')
text_case('negative-label', lambda d: d['classes'][0].update(label=-1),
          r"class -1 \('wave hand'\): \"label\" must be an integer >= 0")


@case('text-annotations', 'malformed-json', ValueError,
      r'text\.json: not valid JSON: Expecting value at line 1, column 13')
def _(ws):
    return functools.partial(load_annotations,
                             ws.write('text.json', '{"format": [}'))


@case('text-annotations', 'not-utf8', ValueError,
      r'text\.json: not UTF-8 text')
def _(ws):
    return functools.partial(load_annotations,
                             ws.write('text.json', b'{"format": "\xff"}'))


@case('text-annotations', 'dataset-class-missing', ValueError,
      r'text\.json: class label\(s\) \[7\] of the data set are missing from '
      r'the file \(it has 6 classes, labels 0\.\.5\)')
def _(ws):
    return functools.partial(load_annotations, ws.text(), labels=[0, 7])


@case('text-annotations', 'unknown-class-name', ValueError,
      r"text\.json: class names differ from the data set: label 1: data set "
      r"'stand up', file 'sit down'")
def _(ws):
    return functools.partial(load_annotations, ws.text(),
                             labels={0: 'wave hand', 1: 'stand up'})


@case('text-annotations', 'unknown-description-set', ValueError,
      r"text\.json: unknown description set 'gpt-4o'; sets in the file: "
      r"\['authored'\]")
def _(ws):
    return functools.partial(load_annotations, ws.text(),
                             description_set='gpt-4o')


@case('text-annotations', 'layout-mismatch', ValueError,
      r"text\.json: the file is written for layout 'ntu25', but layout "
      r"'coco17' was requested")
def _(ws):
    return functools.partial(load_annotations, ws.text(), layout='coco17')


@case('text-annotations', 'unknown-shipped-name', FileNotFoundError,
      r"text annotation file 'ntu121' not found; give a path to a JSON file "
      r'or one of the shipped names')
def _(ws):
    return functools.partial(load_annotations, 'ntu121')


# text banks
@case('text-bank', 'other-layout', ValueError,
      r"bank\.npz was built for layout 'ntu25' but the config uses 'coco17'")
def _(ws):
    return functools.partial(ws.bank().check, layout='coco17')


@case('text-bank', 'other-width', ValueError,
      r'bank\.npz holds 8-d text embeddings but the config expects 1536-d')
def _(ws):
    return functools.partial(ws.bank().check, dim=1536)


@case('text-bank', 'other-class-list', ValueError,
      r'bank\.npz lacks class label\(s\) \[6, 7\] that the config uses')
def _(ws):
    return functools.partial(ws.bank().check, labels=[0, 6, 7])


@case('text-bank', 'joints-differ-from-layout', ValueError,
      r"x\.npz holds 20 joints per class but layout 'ntu25' of the config "
      r'has 25')
def _(ws):
    bank = ws.bank()
    with open(ws.path('x.npz'), 'wb') as f:
        np.savez(f, labels=bank.labels, embeddings=bank.embeddings[:, :20],
                 key_joints=bank.key_joints[:, :20],
                 meta=np.array(json.dumps(bank.meta)))
    return functools.partial(load_text_bank(ws.path('x.npz')).check,
                             layout='ntu25')


@case('text-bank', 'truncated-file', ValueError,
      r'bank\.npz: not a readable text bank')
def _(ws):
    ws.bank()
    with open(ws.path('bank.npz'), 'rb') as f:
        data = f.read()
    ws.write('bank.npz', data[:len(data) // 2])
    return functools.partial(load_text_bank, ws.path('bank.npz'))


@case('text-bank', 'missing-arrays', ValueError,
      r"x\.npz: not a text bank, arrays \['labels', 'key_joints', 'meta'\] "
      r'are missing')
def _(ws):
    with open(ws.path('x.npz'), 'wb') as f:
        np.savez(f, embeddings=np.zeros((1, 25, 8), np.float32))
    return functools.partial(load_text_bank, ws.path('x.npz'))


@case('text-bank', 'nan-embeddings', ValueError,
      r'nan\.npz: NaN/inf values in the embeddings or key joints of class '
      r'label\(s\) \[1\]')
def _(ws):
    bank = ws.bank()
    bank.embeddings[1, 3, 0] = np.nan
    with open(ws.path('nan.npz'), 'wb') as f:
        np.savez(f, labels=bank.labels, embeddings=bank.embeddings,
                 key_joints=bank.key_joints,
                 meta=np.array(json.dumps(bank.meta)))
    return functools.partial(load_text_bank, ws.path('nan.npz'))


@case('text-bank', 'unknown-encoder', ValueError,
      r"text encoder config must be a dict with type in \('tfidf_svd', "
      r"'huggingface'\), got \{'type': 'bert'\}")
def _(ws):
    return functools.partial(get_text_bank, ws.text(), dict(type='bert'),
                             cache_dir=ws.path('banks'))


@case('text-bank', 'negative-dim', ValueError,
      r'tfidf_svd dim must be a positive integer, got -8')
def _(ws):
    return functools.partial(get_text_bank, ws.text(),
                             dict(type='tfidf_svd', dim=-8),
                             cache_dir=ws.path('banks'))


@case('text-bank', 'zero-batch-size', ValueError,
      r'batch_size must be >= 1, got 0')
def _(ws):
    return functools.partial(
        get_text_bank, ws.text(),
        dict(type='huggingface', model='microsoft/deberta-v2-xlarge',
             batch_size=0), cache_dir=ws.path('banks'))


@case('text-bank', 'encoder-not-available-offline', ToolFailed,
      r"cannot load text encoder 'crossglg-test/no-such-model' \(revision "
      r'main\).*To make it available: download it on a machine with '
      r'internet access.*HF_HOME')
def _(ws):
    return functools.partial(
        run_tool, 'build_text_bank', ws.text(), '--encoder',
        'huggingface', '--model', 'crossglg-test/no-such-model',
        '--local-files-only', '--out', ws.path('bank.npz'))


@case('text-bank', 'cli-malformed-annotations', ToolFailed,
      r'text\.json: not valid JSON')
def _(ws):
    return functools.partial(run_tool, 'build_text_bank',
                             ws.write('text.json', '{'), '--out',
                             ws.path('bank.npz'))


@case('text-bank', 'cli-dim-for-huggingface', ToolFailed,
      r'--dim applies to --encoder tfidf_svd only')
def _(ws):
    return functools.partial(run_tool, 'build_text_bank', ws.text(),
                             '--encoder', 'huggingface', '--model', 'x',
                             '--dim', '8', '--out', ws.path('bank.npz'))


@case('text-bank', 'cli-huggingface-without-model', ToolFailed,
      r'--encoder huggingface needs --model')
def _(ws):
    return functools.partial(run_tool, 'build_text_bank', ws.text(),
                             '--encoder', 'huggingface', '--out',
                             ws.path('bank.npz'))


# generate_descriptions.py against the fake endpoint
def generate(ws, classes, *extra, key='sk-test'):
    env = {KEY_ENV: key} if key else {}
    with mock.patch.dict(os.environ, env):
        if not key:
            os.environ.pop(KEY_ENV, None)
        return run_tool('generate_descriptions', '--classes', classes,
                        '--base-url', ws.llm.base_url, '--model',
                        'test-model', '--out', ws.path('gen.json'),
                        '--max-retries', 1, '--timeout', 5, '--backoff',
                        0.01, '--no-progress', *extra)


@case('generate-descriptions', 'endpoint-keeps-failing', ToolFailed,
      r"stopped at class 1 \('sit down'\); 1 classes are saved in "
      r".*gen\.json.*'sit down' \(global action prompt\): no usable answer "
      r'from 127\.0\.0\.1 after 2 attempts; last problem: '
      r'InternalServerError')
def _(ws):
    generate(ws, 'wave hand')
    ws.llm.script[:] = [500] * 10
    return functools.partial(generate, ws, 'wave hand,sit down')


@case('generate-descriptions', 'answers-stay-malformed', ToolFailed,
      r"'wave hand' \(joint motion prompt\): no usable answer .* after 2 "
      r"attempts; last problem: malformed answer: joints missing: "
      r"\['spine_base'\]; unknown keys: \['tail'\]")
def _(ws):
    ws.llm.script[:] = ['good'] + ['malformed'] * 10
    return functools.partial(generate, ws, 'wave hand')


@case('generate-descriptions', 'api-key-not-set', ToolFailed,
      r'environment variable OPENAI_API_KEY is not set; export the API key '
      r'there')
def _(ws):
    return functools.partial(generate, ws, 'wave hand', key=None)


@case('generate-descriptions', 'unknown-layout', ToolFailed,
      r"unknown skeleton layout 'kinect_v3'")
def _(ws):
    return functools.partial(generate, ws, 'wave hand', '--layout',
                             'kinect_v3')


@case('generate-descriptions', 'duplicate-class-labels', ToolFailed,
      r'classes\.tsv: duplicate class labels \[0\]')
def _(ws):
    classes = ws.write('classes.tsv', '0\twave hand\n0\tsit down\n')
    return functools.partial(generate, ws, classes)


@case('generate-descriptions', 'resume-with-other-class-list', ToolFailed,
      r"gen\.json: the class list does not match the file: label 0: list "
      r"'nod head', file 'wave hand'")
def _(ws):
    generate(ws, 'wave hand')
    return functools.partial(generate, ws, 'nod head')


@case('generate-descriptions', 'resume-into-other-layout', ToolFailed,
      r"cannot resume into .*gen\.json: .*the file is written for layout "
      r"'ntu25', but layout 'coco17' was requested")
def _(ws):
    generate(ws, 'wave hand')
    return functools.partial(generate, ws, 'wave hand', '--layout', 'coco')


@case('generate-descriptions', 'negative-max-retries', ToolFailed,
      r'max_retries must be >= 0, got -1')
def _(ws):
    return functools.partial(generate, ws, 'wave hand', '--max-retries', -1)


# import_descriptions.py (six-body-part files)
def import_descriptions(ws, parts, global_text, *options, out=None):
    """The tool on a parts file and a global-text file written now."""
    return functools.partial(
        run_tool, 'import_descriptions', '--parts',
        ws.write('parts.txt', parts), '--global',
        ws.write('global.csv', global_text), *options, '--set-name', 'six',
        '--out', out or ws.path('out.json'))


@case('import-descriptions', 'wrong-field-count', ToolFailed,
      r'parts\.txt:1: expected "label;head \.\.\.;hand \.\.\.;arm \.\.\.;hip '
      r'\.\.\.;leg \.\.\.;foot \.\.\." \(7 fields\), got 4')
def _(ws):
    return import_descriptions(ws, 'wave hand;h;h;a\n',
                               'wave hand,The hand waves.\n')


@case('import-descriptions', 'unknown-class-name', ToolFailed,
      r"parts\.txt \(label 'fly'\): class 'fly' is not in the class list")
def _(ws):
    return import_descriptions(ws, 'fly;h;h;a;h;l;f\n', 'fly,The arms flap.\n',
                               '--classes', ','.join(NAMES))


@case('import-descriptions', 'into-file-of-other-layout', ToolFailed,
      r"text\.json: the file is written for layout 'ntu25', but layout "
      r"'coco17' was requested")
def _(ws):
    return import_descriptions(ws, 'wave hand;h;h;a;h;l;f\n',
                               'wave hand,The hand waves.\n', '--layout',
                               'coco17', out=ws.text())


@pytest.mark.parametrize('setup, error, match, may_write', case.params)
def test_bad_input(setup, error, match, may_write, ws):
    check_bad_input(setup, error, match, may_write, ws)
