"""Quality checks of the text annotations shipped with the package."""
import collections
import re

import pytest

from crossglg_mmaction.datasets import get_protocol
from crossglg_mmaction.datasets.protocols import BUILTIN_PROTOCOLS
from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (SHIPPED as SHIPPED_NAMES,
                                                TextAnnotations,
                                                load_annotations)
from crossglg_mmaction.text.keyjoints import lexical_key_joints

SHIPPED = [('ntu120', 'ntu25', 120), ('nwucla', 'kinect_v1_20', 10),
           ('utdmhad', 'kinect_v1_20', 27), ('synthetic', 'ntu25', 20)]
AUTHORED = ['ntu120', 'nwucla', 'utdmhad']
# the files whose joint texts name their own joint (NTU-120's often start
# with the verb: "Flexes slightly forward ...")
NAMED_JOINTS = ['nwucla', 'utdmhad']


@pytest.fixture(scope='module', params=SHIPPED, ids=[s[0] for s in SHIPPED])
def shipped(request):
    name, layout, num_classes = request.param
    return load_annotations(name, layout=layout), layout, num_classes


def test_every_shipped_file_is_tested():
    assert sorted(s[0] for s in SHIPPED) == sorted(SHIPPED_NAMES)


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


def test_key_joints_are_the_extractor_output(shipped):
    # recorded key joints come from the global text, not from hand edits
    ann, layout, _ = shipped
    for label in ann.labels:
        desc = ann.description(label)
        extractor = desc['key_joints_extractor']
        assert extractor == 'lexical' or extractor.startswith('stanza ')
        if extractor == 'lexical':
            assert desc['key_joints'] == lexical_key_joints(
                desc['global'], layout), ann.names[label]


@pytest.mark.parametrize('name, protocol', [('ntu120', 'ntu120'),
                                            ('nwucla', 'nwucla'),
                                            ('utdmhad', 'utdmhad')])
def test_class_names_match_the_protocols(name, protocol):
    if protocol not in BUILTIN_PROTOCOLS:
        pytest.skip(f'no built-in {protocol!r} protocol yet')
    ann = load_annotations(name)
    names = get_protocol(protocol).class_names
    assert [ann.names[label] for label in ann.labels] == list(names)


@pytest.mark.parametrize('name', AUTHORED)
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


def _joint_words(joint):
    """A Kinect v1 joint as its text names it: 'left elbow', 'hip centre'."""
    return joint.replace('_center', ' centre').replace('_', ' ')


def naming_errors(ann):
    """(class, joint, problem) for joint texts that do not name their own
    joint, or that name the same part of the other side first."""
    errors = []
    for label in ann.labels:
        for joint, text in ann.description(label)['joints'].items():
            words = _joint_words(joint)
            lower = text.lower().replace('center', 'centre')
            side, _, part = words.partition(' ')
            first = re.search(rf'\b(left|right) {part}\b', lower)
            if side in ('left', 'right') and first and \
                    first.group(1) != side:
                errors.append((ann.names[label], joint, 'other side'))
            elif words not in lower:
                errors.append((ann.names[label], joint, 'joint not named'))
    return errors


@pytest.mark.parametrize('name', NAMED_JOINTS)
def test_joint_texts_name_their_own_joint_and_side(name):
    assert naming_errors(load_annotations(name)) == []


def test_naming_check_catches_a_swapped_side():
    data = load_annotations('utdmhad').to_dict()
    joints = data['classes'][2]['descriptions']['authored']['joints']
    joints['left_elbow'], joints['right_elbow'] = (joints['right_elbow'],
                                                   joints['left_elbow'])
    joints['head'] = joints['spine']
    errors = naming_errors(TextAnnotations(data, 'swapped'))
    assert errors == [('right hand wave', 'head', 'joint not named'),
                      ('right hand wave', 'left_elbow', 'other side'),
                      ('right hand wave', 'right_elbow', 'other side')]


@pytest.mark.parametrize('name', AUTHORED)
def test_texts_are_specific_to_their_class(name):
    ann = load_annotations(name)
    globals_ = collections.Counter(
        ann.description(label)['global'] for label in ann.labels)
    joints = collections.Counter(
        text for label in ann.labels
        for text in ann.description(label)['joints'].values())
    assert max(globals_.values()) == 1
    repeated = [text for text, n in joints.items() if n > 1]
    assert not repeated, repeated[:3]


# UTD-MHAD's 27 actions in label order (label = action number - 1), as the
# data set's documentation names them.
UTD_NAMES = [
    'right arm swipe to the left', 'right arm swipe to the right',
    'right hand wave', 'two hand front clap', 'right arm throw',
    'cross arms in the chest', 'basketball shoot', 'right hand draw x',
    'right hand draw circle (clockwise)',
    'right hand draw circle (counter clockwise)', 'draw triangle',
    'bowling (right hand)', 'front boxing', 'baseball swing from right',
    'tennis right hand forehand swing', 'arm curl (two arms)',
    'tennis serve', 'two hand push', 'right hand knock on door',
    'right hand catch an object', 'right hand pick up and throw',
    'jogging in place', 'walking in place', 'sit to stand', 'stand to sit',
    'forward lunge (left foot forward)', 'squat (two arms stretch out)'
]
RIGHT_HANDED = re.compile(r'\bright (hand|arm)\b')
# actions done with the right arm while the rest of the body stays put
RIGHT_ARM_ONLY = ('right arm swipe to the left',
                  'right arm swipe to the right', 'right hand wave',
                  'right hand draw x', 'right hand draw circle (clockwise)',
                  'right hand draw circle (counter clockwise)',
                  'draw triangle', 'right hand knock on door',
                  'right hand catch an object')
ARM = ('shoulder', 'elbow', 'wrist', 'hand')
STILL = re.compile(r'\b(still|stays?|remains?|hangs?|rests?|relaxed|'
                   r'motionless|empty|not)\b')


@pytest.fixture(scope='module')
def utd():
    return load_annotations('utdmhad', layout='kinect_v1_20',
                            labels=dict(enumerate(UTD_NAMES)))


def utd_keys(ann):
    return {ann.names[label]: set(ann.description(label)['key_joints'])
            for label in ann.labels}


def right_handed_errors(ann):
    """Right-handed actions whose key joints miss the right hand or wrist
    or include a joint of the left arm."""
    errors = []
    for name, keys in utd_keys(ann).items():
        if RIGHT_HANDED.search(name):
            left_arm = {f'left_{part}' for part in ARM} & keys
            if not {'right_wrist', 'right_hand'} <= keys or left_arm:
                errors.append(name)
    return errors


def test_utdmhad_classes_are_the_data_set_actions(utd):
    assert utd.dataset == 'utdmhad'
    assert [utd.names[label] for label in utd.labels] == UTD_NAMES
    assert [utd.entry(label)['code'] for label in utd.labels] == [
        f'a{number}' for number in range(1, 28)]
    assert utd.labels_with_set('authored') == list(range(27))


def test_utdmhad_right_handed_actions_key_the_right_arm(utd):
    assert sum(bool(RIGHT_HANDED.search(n)) for n in UTD_NAMES) == 12
    assert right_handed_errors(utd) == []
    data = utd.to_dict()
    data['classes'][2]['descriptions']['authored']['key_joints'] = [
        'left_elbow', 'left_wrist', 'left_hand']
    assert right_handed_errors(TextAnnotations(data, 'left')) == [
        'right hand wave']


def test_utdmhad_one_arm_actions_leave_the_left_arm_idle(utd):
    right_arm = {f'right_{part}' for part in ARM}
    keys = utd_keys(utd)
    for name in RIGHT_ARM_ONLY:
        assert keys[name] == right_arm, name
        joints = utd.description(UTD_NAMES.index(name))['joints']
        for part in ARM:
            assert STILL.search(joints[f'left_{part}']), (name, part)
        for part in ('wrist', 'hand'):
            assert not STILL.search(joints[f'right_{part}']), (name, part)


def test_utdmhad_directions_differ(utd):
    def text(name, joint=None):
        desc = utd.description(UTD_NAMES.index(name))
        return desc['joints'][joint] if joint else desc['global']

    to_left = re.compile(r'from (the )?right( side)? to (the )?left')
    to_right = re.compile(r'from (the )?left( side)? to (the )?right')
    left, right = (text('right arm swipe to the left'),
                   text('right arm swipe to the right'))
    assert to_left.search(left) and not to_right.search(left)
    assert to_right.search(right) and not to_left.search(right)
    for joint in (None, 'right_hand', 'right_wrist'):
        clockwise = text('right hand draw circle (clockwise)', joint)
        counter = text('right hand draw circle (counter clockwise)', joint)
        assert 'clockwise' in clockwise and 'counter' not in clockwise
        assert 'counter-clockwise' in counter
    assert 'down on the right' in text('right hand draw circle (clockwise)')
    assert 'down on the left' in text(
        'right hand draw circle (counter clockwise)')


def test_utdmhad_lunge_is_left_foot_forward(utd):
    name = 'forward lunge (left foot forward)'
    desc = utd.description(UTD_NAMES.index(name))
    assert 'forward with the left foot' in desc['global']
    assert not re.search(r'right (foot|leg)', desc['global'].split('.')[0])
    assert {'left_hip', 'left_knee', 'left_ankle', 'left_foot',
            'right_knee'} <= set(desc['key_joints'])
    forward, behind = re.compile(r'\b(forward|front)\b'), re.compile(
        r'\b(behind|back)\b')
    assert forward.search(desc['joints']['left_foot'])
    assert forward.search(desc['joints']['left_knee'])
    assert behind.search(desc['joints']['right_knee'])
    assert behind.search(desc['joints']['right_foot'])


def test_utdmhad_key_joints_follow_the_action(utd):
    keys = utd_keys(utd)
    sides = ('left', 'right')
    arms = {f'{s}_{p}' for s in sides for p in ('shoulder', 'elbow', 'wrist')}
    hands = {'left_hand', 'right_hand'}
    legs = {f'{s}_{p}' for s in sides for p in ('hip', 'knee', 'ankle')}
    feet = {'left_foot', 'right_foot'}
    assert keys['right hand draw x'] == {'right_shoulder', 'right_elbow',
                                         'right_wrist', 'right_hand'}
    for name in ('jogging in place', 'walking in place'):
        assert arms | legs | feet <= keys[name], name
    for name in ('sit to stand', 'stand to sit',
                 'forward lunge (left foot forward)'):
        assert legs - {'left_ankle'} <= keys[name], name
        assert not keys[name] & (arms | hands), name
    for name in ('two hand front clap', 'arm curl (two arms)',
                 'two hand push', 'squat (two arms stretch out)',
                 'cross arms in the chest', 'front boxing'):
        assert arms | hands <= keys[name], name
    assert legs <= keys['squat (two arms stretch out)']
    assert {'left_knee', 'right_knee'} <= keys['basketball shoot']
    assert 'head' in keys['tennis serve']
    assert {'left_hand', 'left_wrist'} <= keys['tennis serve']
    assert {'spine', 'shoulder_center'} <= keys['cross arms in the chest']
