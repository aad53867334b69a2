"""Quality checks of the text annotations shipped with the package."""
import collections

import pytest

from crossglg_mmaction.datasets import get_protocol
from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import load_annotations
from crossglg_mmaction.text.keyjoints import lexical_key_joints

SHIPPED = [('ntu120', 'ntu25', 120), ('nwucla', 'kinect_v1_20', 10),
           ('synthetic', 'ntu25', 20)]


@pytest.fixture(scope='module', params=SHIPPED, ids=[s[0] for s in SHIPPED])
def shipped(request):
    name, layout, num_classes = request.param
    return load_annotations(name, layout=layout), layout, num_classes


def test_every_class_and_joint_is_present_and_non_empty(shipped):
    ann, layout, num_classes = shipped
    assert ann.labels == list(range(num_classes))
    joints = list(get_layout(layout).joints)
    for label in ann.labels:
        desc = ann.description(label)
        assert list(desc['joints']) == joints
        assert all(len(t.split()) >= 8 for t in desc['joints'].values())
        assert desc['global'].strip()


def test_joint_texts_are_not_boilerplate(shipped):
    ann, _, _ = shipped
    counts = collections.Counter(
        text for label in ann.labels
        for text in ann.description(label)['joints'].values())
    shared = {text: n for text, n in counts.items() if n > 3}
    assert not shared, list(shared.items())[:3]


def test_every_global_names_a_body_part_and_has_key_joints(shipped):
    ann, layout, _ = shipped
    for label in ann.labels:
        desc = ann.description(label)
        assert lexical_key_joints(desc['global'], layout), ann.names[label]
        assert desc['key_joints'], ann.names[label]
        assert desc['key_joints_extractor']
        assert ann.key_joint_mask(label).sum() == len(desc['key_joints'])


@pytest.mark.parametrize('name, protocol', [('ntu120', 'ntu120'),
                                            ('nwucla', 'nwucla')])
def test_class_names_match_the_protocols(name, protocol):
    ann = load_annotations(name)
    names = get_protocol(protocol).class_names
    assert [ann.names[label] for label in ann.labels] == list(names)


@pytest.mark.parametrize('name', ['ntu120', 'nwucla'])
def test_authored_provenance(name):
    ann = load_annotations(name)
    for label in ann.labels:
        provenance = ann.description(label)['provenance']
        assert provenance['source'] == 'authored'
        assert provenance['llm'] is None
        assert provenance['prompts'] == ['crossglg-global-v1',
                                         'crossglg-joint-v1']


def test_key_joints_follow_the_action():
    ann = load_annotations('ntu120')
    keys = {ann.names[label]: set(ann.description(label)['key_joints'])
            for label in ann.labels}
    assert {'head', 'right_hand', 'right_elbow'} <= keys['drink water']
    assert not keys['drink water'] & {'left_knee', 'right_knee'}
    assert {'right_knee', 'right_ankle'} <= keys['kicking something'] or \
        {'left_knee', 'left_ankle'} <= keys['kicking something']
    assert {'left_knee', 'right_knee'} <= keys['squat down']
    assert 'head' in keys['nod head/bow']
