import json

import pytest

from crossglg_mmaction.datasets.protocols import (BUILTIN_PROTOCOLS,
                                                  OneShotProtocol,
                                                  get_protocol)

NTU120_EXEMPLARS = [
    f'S001C003P008R001A{a:03d}' for a in (1, 7, 13, 19, 25, 31, 37, 43, 49, 55)
] + [
    f'S018C003P008R001A{a:03d}'
    for a in (61, 67, 73, 79, 85, 91, 97, 103, 109, 115)
]


def small(**changes):
    data = dict(
        name='small', layout='ntu25', num_classes=6, novel_classes=[4, 5],
        exemplars={'4': 'x4', '5': 'x5'}, dev_classes=[1],
        dev_exemplars={'1': 'x1'})
    data.update(changes)
    return data


def test_ntu120_matches_the_official_list():
    p = get_protocol('ntu120')
    assert p.layout == 'ntu25' and p.num_classes == 120
    # A1, A7, ..., A115 (1-based) are labels 0, 6, ..., 114
    assert list(p.novel_classes) == list(range(0, 120, 6))
    assert [p.exemplars[c] for c in p.novel_classes] == NTU120_EXEMPLARS
    assert len(p.auxiliary_classes) == 100
    assert not set(p.auxiliary_classes) & set(p.novel_classes)
    # A2, A8, ..., A116
    assert list(p.dev_classes) == list(range(1, 120, 6))
    assert p.class_names[0] == 'drink water'
    assert p.class_names[114] == 'take a photo of other person'
    assert p.names([6, 12]) == ['throw', 'tear up paper']


@pytest.mark.parametrize('num', [20, 40, 60, 80, 100])
def test_ntu120_base_sets_are_the_first_auxiliary_ids(num):
    p = get_protocol('ntu120')
    base = p.base_classes(num)
    assert base == sorted(c for c in range(120) if c % 6 != 0)[:num]
    held_out = p.base_classes(num, holdout_dev=True)
    assert held_out == [c for c in base if c % 6 != 1]
    assert not set(held_out) & set(p.dev_classes)


def test_ntu120_first_20_base_classes_hand_checked():
    # A2..A6, A8..A12, A14..A18, A20..A24 (1-based)
    assert get_protocol('ntu120').base_classes(20) == [
        1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23
    ]
    assert len(get_protocol('ntu120').base_classes(100, True)) == 80


def test_ntu60():
    p = get_protocol('ntu60')
    assert list(p.novel_classes) == list(range(0, 60, 6))
    assert [p.exemplars[c] for c in p.novel_classes] == NTU120_EXEMPLARS[:10]
    assert len(p.auxiliary_classes) == 50
    for num in (10, 20, 30, 40, 50):
        assert len(p.base_classes(num)) == num
    assert list(p.dev_classes) == list(range(1, 60, 6))
    with pytest.raises(ValueError, match='1..50'):
        p.base_classes(60)


def test_nwucla_development_split():
    p = get_protocol('nwucla')
    assert p.layout == 'kinect_v1_20'
    assert list(p.novel_classes) == [1, 3, 5, 7, 9]  # a02 a04 a06 a09 a12
    assert p.base_classes() == [0, 2, 4, 6, 8]
    assert p.exemplars == {
        1: 'a02_s01_e00_v01', 3: 'a04_s01_e00_v01', 5: 'a06_s01_e00_v01',
        7: 'a09_s01_e00_v01', 9: 'a12_s01_e00_v01'
    }
    assert p.class_names[6] == 'donning'


def test_utdmhad_development_split():
    p = get_protocol('utdmhad')
    assert p.layout == 'kinect_v1_20' and p.num_classes == 27
    # actions 1, 4, ..., 25 (1-based file codes) are labels 0, 3, ..., 24
    assert list(p.novel_classes) == list(range(0, 27, 3))
    assert p.exemplars == {c: f'a{c + 1}_s1_t1' for c in range(0, 27, 3)}
    assert p.base_classes() == [c for c in range(27) if c % 3]
    # dev: actions 3, 9, 15, 24, held out of the 18 base classes
    assert list(p.dev_classes) == [2, 8, 14, 23]
    assert p.dev_exemplars == {2: 'a3_s1_t1', 8: 'a9_s1_t1',
                               14: 'a15_s1_t1', 23: 'a24_s1_t1'}
    assert len(p.base_classes(holdout_dev=True)) == 14
    assert p.names([2, 8, 14, 23]) == [
        'right hand wave', 'right hand draw circle (clockwise)',
        'tennis right hand forehand swing', 'sit to stand'
    ]


def test_kinetics_assumption():
    p = get_protocol('kinetics')
    assert p.layout == 'openpose18'
    assert list(p.novel_classes) == list(range(100, 120))
    assert p.base_classes() == list(range(100))
    assert p.exemplar_rule == 'first' and p.exemplars == {}


def test_every_builtin_round_trips():
    for name in BUILTIN_PROTOCOLS:
        p = get_protocol(name)
        assert OneShotProtocol.from_dict(p.to_dict(), p.source) == p


def test_user_json_and_yaml(tmp_path):
    path = tmp_path / 'p.json'
    path.write_text(json.dumps(small()))
    p = get_protocol(str(path))
    assert p.auxiliary_classes == (0, 1, 2, 3)
    assert p.base_classes(holdout_dev=True) == [0, 2, 3]
    assert p.subset_classes('dev') == [1]
    assert p.subset_exemplars('novel') == {4: 'x4', 5: 'x5'}
    yaml_path = tmp_path / 'p.yaml'
    yaml_path.write_text(
        'name: y\nlayout: nturgb+d\nnum_classes: 4\nnovel_classes: [3]\n'
        'exemplars: {3: s3}\nbase_classes: [0, 2]\n')
    p = get_protocol(str(yaml_path))
    assert p.layout == 'ntu25' and p.base_classes() == [0, 2]
    assert p.exemplars == {3: 's3'}


@pytest.mark.parametrize('changes, message', [
    (dict(base_classes=[0, 4]), r'novel classes \[4\] also appear in '
     'base_classes'),
    (dict(exemplars={'4': 'x4'}), r'novel classes \[5\] have no exemplar'),
    (dict(exemplars={'4': 'x4', '5': 'x4'}), 'more than one class'),
    (dict(dev_exemplars={'1': 'x5'}), 'more than one class'),
    (dict(novel_classes=[4, 6]), r'unknown labels \[6\]'),
    (dict(base_classes=[-1]), r'unknown labels \[-1\]'),
    (dict(novel_classes=[4, 4, 5]), r'duplicate labels \[4\]'),
    (dict(exemplars={'4': 'x4', '5': 'x5', '2': 'x2'}), 'not a novel class'),
    (dict(dev_classes=[1, 5]), r'novel classes \[5\] also appear in '
     'dev_classes'),
    (dict(layout='nope'), 'unknown skeleton layout'),
    (dict(class_names=['a', 'b']), '2 names for num_classes=6'),
    (dict(exemplar_rule='random'), 'exemplar_rule'),
    (dict(novel_class=[1]), r"unknown keys \['novel_class'\]"),
])
def test_bad_protocols(changes, message):
    with pytest.raises(ValueError, match=message):
        get_protocol(small(**changes))


def test_bad_base_requests():
    p = get_protocol(small())
    with pytest.raises(ValueError, match='overlap the novel classes'):
        p.subset_classes('base', base_classes=[0, 4])
    with pytest.raises(ValueError, match='overlap the dev classes'):
        p.subset_classes('base', base_classes=[0, 1], holdout_dev=True)
    with pytest.raises(ValueError, match='num_base_classes=3'):
        p.subset_classes('base', num_base_classes=3, base_classes=[0, 2])
    assert p.subset_classes('base', base_classes=[3, 0]) == [0, 3]
    with pytest.raises(ValueError, match='subset must be one of'):
        p.subset_classes('train')
    no_dev = get_protocol(small(dev_classes=None, dev_exemplars=None))
    with pytest.raises(ValueError, match='no dev_classes'):
        no_dev.subset_classes('dev')
    with pytest.raises(ValueError, match='no dev_classes to hold out'):
        no_dev.base_classes(holdout_dev=True)


def test_unknown_name_and_files(tmp_path):
    with pytest.raises(ValueError, match='unknown one-shot protocol'):
        get_protocol('ntu99')
    with pytest.raises(FileNotFoundError, match='missing.json'):
        get_protocol(str(tmp_path / 'missing.json'))
    bad = tmp_path / 'bad.json'
    bad.write_text('{"name": ')
    with pytest.raises(ValueError, match='not valid JSON'):
        get_protocol(str(bad))


def test_every_class_novel():
    """A user's own set: no base class; only a base request fails, saying
    what to do."""
    p = get_protocol(small(novel_classes=list(range(6)), exemplars={},
                           exemplar_rule='first', dev_classes=None,
                           dev_exemplars=None))
    assert not p.has_base and p.auxiliary_classes == ()
    assert p.subset_classes('novel') == list(range(6))
    assert get_protocol(p.to_dict()).auxiliary_classes == ()
    explicit = get_protocol(small(base_classes=[]))
    assert not explicit.has_base
    with pytest.raises(ValueError, match=r"protocol 'small' .* has no base "
                       r'classes \(every class is novel\).*--no-calibration'):
        explicit.subset_classes('base')
