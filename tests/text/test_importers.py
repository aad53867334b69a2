import json

import pytest

from crossglg_mmaction.skeleton import LAYOUTS, get_layout
from crossglg_mmaction.text.annotations import (AnnotationError,
                                                load_annotations,
                                                validate_annotations)
from crossglg_mmaction.text.generation import ClassSpec
from crossglg_mmaction.text.importers import (SIX_PARTS, import_six_part,
                                              read_global_file,
                                              read_six_part_file,
                                              six_part_joint_map)

PARTS = ('drink water;head tilts back;hand holds the cup;arm lifts the cup;'
         'hip stays still;leg stands;foot stays flat\n'
         'kicking something;head faces forward;hand balances;arm swings;'
         'hip rotates;leg swings forward;foot strikes\n')
GLOBAL = ('drink water,"The person lifts a cup, drinks, and lowers it."\n'
          'kicking something,The right leg kicks forward.\n')
CLASSES = [ClassSpec(0, 'drink water', 'A1'),
           ClassSpec(23, 'kicking something', 'A24')]


def files(tmp_path, parts=PARTS, global_=GLOBAL):
    p, g = tmp_path / 'parts.txt', tmp_path / 'global.csv'
    p.write_text(parts)
    g.write_text(global_)
    return str(p), str(g)


def test_joint_map_covers_every_layout_once():
    for name, layout in LAYOUTS.items():
        mapping = six_part_joint_map(name)
        assert list(mapping) == list(layout.joints)
        assert set(mapping.values()) <= set(SIX_PARTS)
    ntu = six_part_joint_map('ntu25')
    assert [j for j, g in ntu.items() if g == 'hand'] == [
        'left_hand', 'right_hand', 'left_hand_tip', 'left_thumb',
        'right_hand_tip', 'right_thumb']
    assert ntu['left_ankle'] == 'foot' and ntu['right_knee'] == 'leg'
    assert ntu['spine_mid'] == 'hip' and ntu['neck'] == 'head'
    assert six_part_joint_map('coco17')['left_wrist'] == 'hand'


def test_import_with_class_list(tmp_path):
    parts, global_ = files(tmp_path)
    data = import_six_part(parts, global_, 'gap', classes=CLASSES,
                           llm='gpt-3.5-turbo')
    ann = validate_annotations(data, layout='ntu25')
    assert ann.labels == [0, 23]
    assert ann.entry(23)['code'] == 'A24'
    desc = ann.description(23)
    assert desc['global'] == 'The right leg kicks forward.'
    assert desc['joints']['right_knee'] == 'leg swings forward'
    assert desc['joints']['left_ankle'] == 'foot strikes'
    assert desc['joints']['spine_shoulder'] == 'hip rotates'
    assert ann.description(0)['global'] == \
        'The person lifts a cup, drinks, and lowers it.'
    assert desc['provenance']['source'] == 'imported'
    assert desc['provenance']['llm'] == 'gpt-3.5-turbo'


def test_import_by_index_and_named_segments_in_any_order(tmp_path):
    parts, global_ = files(
        tmp_path,
        parts='label;head;hand;arm;hip;leg;foot\n'
        '23;Foot: strikes;head: forward;hand: fists;arm: swings;'
        'hip: rotates;leg: swings\n',
        global_='label,paragraph\n23,The right leg kicks.\n')
    data = import_six_part(parts, global_, 'gap', layout='nwucla',
                           classes=CLASSES)
    joints = data['classes'][0]['descriptions']['gap']['joints']
    assert joints['left_foot'] == 'Foot: strikes'
    assert joints['head'] == 'head: forward'
    assert list(joints) == list(get_layout('kinect_v1_20').joints)


def test_import_without_class_list_numbers_names(tmp_path):
    parts, global_ = files(tmp_path)
    data = import_six_part(parts, global_, 'gap', dataset='ntu')
    assert [(e['label'], e['name']) for e in data['classes']] == [
        (0, 'drink water'), (1, 'kicking something')]
    assert data['dataset'] == 'ntu' and data['default_set'] == 'gap'


def test_import_into_existing_file(tmp_path, run_tool, toy_file):
    parts, global_ = files(
        tmp_path, parts=PARTS.splitlines()[0] + '\n',
        global_=GLOBAL.splitlines()[0] + '\n')
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--classes', toy_file,
        '--set-name', 'gap', '--llm', 'gpt-3.5', '--out', toy_file]) == 0
    ann = load_annotations(toy_file, labels=[0], description_set='gap')
    assert ann.set_names() == ['authored', 'gap']
    assert ann.description(0)['joints']['head'] == 'head tilts back'
    assert ann.description(0, 'authored')['key_joints'] == ['head',
                                                            'right_hand']


@pytest.mark.parametrize('parts, global_, message', [
    ('drink water;head;hand;arm\n', GLOBAL, r'parts.txt:1: expected '
     r'"label;head ...;hand ...;arm ...;hip ...;leg ...;foot ..." \(7 '
     r'fields\), got 4'),
    ('drink water;head; ;arm;hip;leg;foot\n', GLOBAL,
     r"parts.txt:1: empty description\(s\) in position\(s\) of \['hand'\]"),
    (PARTS, 'drink water\n', r'global.csv:1: expected "label,paragraph"'),
    (PARTS, GLOBAL.splitlines()[0], r"only in the part file \[23\], only in "
     r'the global file \[\]'),
    ('throw;h;h;a;h;l;f\n', GLOBAL, r"class 'throw' is not in the class "
     'list'),
    ('5;h;h;a;h;l;f\n', GLOBAL, 'label 5 is not in the class list'),
    (PARTS + PARTS.splitlines()[0], GLOBAL,
     "class 'drink water' appears twice"),
])
def test_bad_files(tmp_path, parts, global_, message):
    parts, global_ = files(tmp_path, parts, global_)
    with pytest.raises(AnnotationError, match=message):
        import_six_part(parts, global_, 'gap', classes=CLASSES)


def test_index_labels_need_a_class_list(tmp_path):
    parts, global_ = files(tmp_path, '0;h;h;a;h;l;f\n', '0,Text here.\n')
    with pytest.raises(AnnotationError, match='label 0 is an index; give a '
                       'class list'):
        import_six_part(parts, global_, 'gap')


def test_readers(tmp_path):
    parts, global_ = files(tmp_path)
    rows = read_six_part_file(parts)
    assert rows[1][0] == 'kicking something'
    assert rows[1][1] == dict(zip(SIX_PARTS, [
        'head faces forward', 'hand balances', 'arm swings', 'hip rotates',
        'leg swings forward', 'foot strikes']))
    assert rows[1][2] == 2  # line number
    assert read_global_file(global_)[0] == (
        'drink water', 'The person lifts a cup, drinks, and lowers it.', 1)


def test_tool_reports_errors(tmp_path, run_tool, caplog):
    parts, global_ = files(tmp_path, 'x;y\n')
    out = tmp_path / 'out.json'
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--set-name', 'gap', '--out',
        out]) == 1
    assert '(7 fields), got 2' in caplog.text
    assert not out.exists()
    parts, global_ = files(tmp_path)
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--set-name', 'gap',
        '--layout', 'coco', '--out', out]) == 0
    assert json.loads(out.read_text())['layout'] == 'coco17'
