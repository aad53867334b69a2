import copy
import json
import os

import numpy as np
import pytest

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (
    DATA_DIR, AnnotationError, load_annotations, resolve_annotation_file,
    save_annotations, upsert_description, validate_annotations)


def write(tmp_path, data, name='ann.json'):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_load_valid_file(toy_file):
    ann = load_annotations(toy_file, layout='nturgb+d', labels=[0, 2])
    assert ann.labels == [0, 1, 2]
    assert ann.names == {0: 'drink water', 1: 'kicking something',
                         2: 'clapping'}
    assert ann.description_set == 'authored'
    assert ann.layout.name == 'ntu25'
    texts = ann.joint_texts(1)
    assert len(texts) == 25
    assert texts[3] == 'The head moves during kicking something.'
    mask = ann.key_joint_mask(0)
    assert mask.dtype == np.float32 and mask.shape == (25, )
    assert mask.nonzero()[0].tolist() == [3, 11]


def test_joints_are_normalised_to_layout_order(tmp_path, make_toy):
    data = make_toy()
    joints = data['classes'][0]['descriptions']['authored']['joints']
    data['classes'][0]['descriptions']['authored']['joints'] = dict(
        reversed(list(joints.items())))
    data['classes'][0]['descriptions']['authored']['key_joints'] = [
        'right_hand', 'head']
    path = str(tmp_path / 'out.json')
    save_annotations(data, path)
    saved = json.load(open(path))
    desc = saved['classes'][0]['descriptions']['authored']
    assert list(desc['joints']) == list(get_layout('ntu25').joints)
    assert desc['key_joints'] == ['head', 'right_hand']


@pytest.mark.parametrize('mutate, message', [
    (lambda d: d.update(format='other'), "expected 'crossglg-text-annotat"),
    (lambda d: d.update(version=2), 'unsupported version 2'),
    (lambda d: d.update(layout='ntu99'), "unknown skeleton layout 'ntu99'"),
    (lambda d: d.pop('dataset'), "missing key(s) ['dataset']"),
    (lambda d: d.update(colour='red'), "unknown key(s) ['colour']"),
    (lambda d: d.update(classes=[]), '"classes" must be a non-empty list'),
    (lambda d: d['classes'][1].update(label=0),
     "duplicate class label 0 (classes 'drink water' and 'kicking "
     "something')"),
    (lambda d: d['classes'][1].update(label=-1),
     '"label" must be an integer >= 0, got -1'),
    (lambda d: d['classes'][1].update(label=True), 'got True'),
    (lambda d: d['classes'][1].update(name=' '),
     "'name' must be a non-empty string"),
    (lambda d: d['classes'][2]['descriptions']['authored']['joints'].pop(
        'neck'), "class 2 ('clapping'): description set 'authored': joints "
     "do not match layout 'ntu25': missing ['neck'], extra []"),
    (lambda d: d['classes'][2]['descriptions']['authored']['joints'].update(
        tail='wags'), "missing [], extra ['tail']"),
    (lambda d: d['classes'][0]['descriptions']['authored'].update(
        {'global': ''}), "class 0 ('drink water'): description set "
     "'authored': 'global' must be a non-empty string"),
    (lambda d: d['classes'][0]['descriptions']['authored']['joints'].update(
        head='  '), "'joints.head' must be a non-empty string"),
    (lambda d: d['classes'][0]['descriptions']['authored']['joints'].update(
        head=3), "'joints.head' must be a non-empty string, got 3"),
    (lambda d: d['classes'][0]['descriptions']['authored'].update(
        key_joints=['head', 'tail']), "key_joints names joints ['tail']"),
    (lambda d: d['classes'][0]['descriptions']['authored'].update(
        key_joints=['head', 'head']), 'key_joints lists a joint twice'),
    (lambda d: d['classes'][0]['descriptions']['authored'].pop(
        'key_joints_extractor'), "'key_joints_extractor' must be a "
     'non-empty string'),
    (lambda d: d['classes'][0]['descriptions']['authored'].pop(
        'key_joints'), 'key_joints_extractor is set but key_joints is '
     'missing'),
    (lambda d: d['classes'][0]['descriptions']['authored'].update(
        provenance={}), "'provenance.source' must be a non-empty string"),
    (lambda d: d['classes'][0]['descriptions'].update(
        gpt=d['classes'][0]['descriptions'].pop('authored')),
     "class 0 ('drink water'): no description set 'authored' (the file's "
     "default_set); sets: ['gpt']"),
])
def test_bad_input_is_named(tmp_path, make_toy, mutate, message):
    data = make_toy()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(AnnotationError) as info:
        load_annotations(path)
    assert path in str(info.value)
    assert message in str(info.value)


def test_malformed_json_names_file_and_line(tmp_path):
    path = tmp_path / 'broken.json'
    path.write_text('{\n  "format": "crossglg-text-annotations",\n  oops\n}')
    with pytest.raises(AnnotationError, match=r'broken.json: not valid JSON: '
                       r'.* at line 3, column 3'):
        load_annotations(str(path))


def test_list_format_is_rejected_with_hint(tmp_path):
    path = write(tmp_path, [{'label': 0, 'name': 'x'}])
    with pytest.raises(AnnotationError, match='expected a JSON object with '
                       "keys .*got list"):
        load_annotations(path)


def test_requested_labels_and_names_must_match(toy_file):
    with pytest.raises(AnnotationError, match=r'class label\(s\) \[3, 7\] of '
                       r'the data set are missing from the file'):
        load_annotations(toy_file, labels=[0, 3, 7])
    with pytest.raises(AnnotationError, match="label 1: data set 'punching', "
                       "file 'kicking something'"):
        load_annotations(toy_file, labels={0: 'Drink  Water',
                                           1: 'punching'})
    ann = load_annotations(toy_file, labels={0: 'Drink  Water'})
    assert ann.names[0] == 'drink water'


def test_layout_mismatch(toy_file):
    with pytest.raises(AnnotationError, match="written for layout 'ntu25', "
                       "but layout 'coco17' was requested"):
        load_annotations(toy_file, layout='coco')


def test_description_sets(tmp_path, make_toy, make_desc):
    data = make_toy()
    upsert_description(data, 0, 'drink water', 'gpt-4o',
                       make_desc('ntu25', 'drink water', 'Sip it.',
                                       tag=' (gpt)'))
    path = write(tmp_path, data)
    ann = load_annotations(path, labels=[0], description_set='gpt-4o')
    assert ann.set_names() == ['authored', 'gpt-4o']
    assert ann.joint_texts(0)[0].endswith('(gpt).')
    assert ann.key_joint_mask(0) is None
    assert ann.labels_with_set() == [0]
    with pytest.raises(AnnotationError, match=r"description set 'gpt-4o' is "
                       r'missing for class label\(s\) \[1, 2\]'):
        load_annotations(path, description_set='gpt-4o')
    with pytest.raises(AnnotationError, match="unknown description set 'x'; "
                       r"sets in the file: \['authored', 'gpt-4o'\]"):
        load_annotations(path, description_set='x')


def test_upsert_checks_names_and_sorts(toy_file, make_desc):
    data = load_annotations(toy_file).to_dict()
    desc = make_desc('ntu25', 'wave', 'The right hand waves.')
    upsert_description(data, 9, 'wave', 'authored', desc, 'A23')
    upsert_description(data, 5, 'sit', 'authored', desc)
    assert [e['label'] for e in data['classes']] == [0, 1, 2, 5, 9]
    assert data['classes'][-1]['code'] == 'A23'
    with pytest.raises(AnnotationError, match="class label 9 is 'wave' in "
                       "the annotations but 'jump' in the class list"):
        upsert_description(data, 9, 'jump', 'authored', desc)
    bad = copy.deepcopy(desc)
    bad['joints'].pop('head')
    with pytest.raises(AnnotationError, match=r"class 4 \('x'\).*missing "
                       r"\['head'\]"):
        upsert_description(data, 4, 'x', 'authored', bad)


def test_save_is_atomic_and_validates_first(toy_file, tmp_path):
    before = open(toy_file).read()
    data = json.loads(before)
    data['classes'][0]['descriptions']['authored']['joints'].pop('head')
    with pytest.raises(AnnotationError, match='missing'):
        save_annotations(data, toy_file)
    assert open(toy_file).read() == before
    assert os.listdir(os.path.dirname(toy_file)) == ['toy.json']


def test_validate_dict_from_a_generator(make_toy):
    data = make_toy(layout='kinect_v1_20', with_key_joints=False)
    ann = validate_annotations(data, source='synthetic generator',
                               layout='nwucla')
    assert ann.layout.num_joints == 20
    data['classes'][0]['descriptions']['authored']['joints'].pop('head')
    with pytest.raises(AnnotationError, match='^synthetic generator: class 0'):
        validate_annotations(data, source='synthetic generator')


def test_resolve_annotation_file(toy_file):
    assert resolve_annotation_file(toy_file) == toy_file
    with pytest.raises(FileNotFoundError, match="'nope.json' not found; .*"
                       'ntu120, nwucla, utdmhad, synthetic'):
        resolve_annotation_file('nope.json')
    for name in ('ntu120', 'nwucla', 'utdmhad', 'synthetic'):
        expected = os.path.join(DATA_DIR, f'{name}.json')
        if os.path.isfile(expected):
            assert resolve_annotation_file(name) == expected
        else:
            with pytest.raises(FileNotFoundError, match='missing from the '
                               'installed package'):
                resolve_annotation_file(name)
