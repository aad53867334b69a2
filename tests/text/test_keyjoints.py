import logging

import numpy as np
import pytest
import stanza

from crossglg_mmaction.text.keyjoints import (
    KeyJointExtractor, document_words, fill_key_joints,
    key_joints_from_document, lexical_key_joints, noun_phrases)


def doc(*sentences):
    """A stanza Document from 'text/UPOS/lemma[/feats]' words (no model)."""
    parsed = []
    for sentence in sentences:
        words = []
        for i, item in enumerate(sentence.split(), 1):
            fields = item.split('/')
            word = {'id': i, 'text': fields[0], 'upos': fields[1],
                    'lemma': fields[2]}
            if len(fields) > 3:
                word['feats'] = fields[3]
            words.append(word)
        parsed.append(words)
    return stanza.Document(parsed)


HANDS = ['left_hand', 'right_hand', 'left_hand_tip', 'left_thumb',
         'right_hand_tip', 'right_thumb']

CASES = [
    # "head" used as a verb is not a body part; "both hands" keeps both sides
    (('She/PRON/she heads/VERB/head to/ADP/to the/DET/the door/NOUN/door '
      'with/ADP/with both/DET/both hands/NOUN/hand ./PUNCT/.', ), HANDS),
    (('The/DET/the left/ADJ/left knee/NOUN/knee bends/VERB/bend ./PUNCT/.', ),
     ['left_knee']),
    # plurals reach the vocabulary through their lemma
    (('The/DET/the arms/NOUN/arm swing/VERB/swing and/CCONJ/and the/DET/the '
      'feet/NOUN/foot step/VERB/step ./PUNCT/.', ),
     ['left_shoulder', 'left_elbow', 'left_wrist', 'right_shoulder',
      'right_elbow', 'right_wrist', 'left_ankle', 'left_foot', 'right_ankle',
      'right_foot']),
    # two-word parts
    (('He/PRON/he raises/VERB/raise the/DET/the right/ADJ/right '
      'upper/ADJ/upper arm/NOUN/arm ./PUNCT/.', ),
     ['right_shoulder', 'right_elbow']),
    (('The/DET/the upper/ADJ/upper body/NOUN/body leans/VERB/lean '
      './PUNCT/.', ), ['spine_base', 'spine_mid', 'spine_shoulder']),
    (('The/DET/the left/ADJ/left and/CCONJ/and right/ADJ/right '
      'hands/NOUN/hand clap/VERB/clap ./PUNCT/.', ), HANDS),
    # 's passes the side on; a possessive pronoun is part of the phrase
    (('The/DET/the right/ADJ/right arm/NOUN/arm \'s/PART/\'s '
      'fingers/NOUN/finger grip/VERB/grip ./PUNCT/.', ),
     ['right_shoulder', 'right_elbow', 'right_wrist', 'right_hand_tip',
      'right_thumb']),
    (('His/PRON/he/Poss=Yes left/ADJ/left eye/NOUN/eye blinks/VERB/blink '
      './PUNCT/.', ), ['head']),
    # "back" as an adverb does not count, as a noun it does
    (('She/PRON/she steps/VERB/step back/ADV/back ./PUNCT/.', ), []),
    (('The/DET/the back/NOUN/back bends/VERB/bend ./PUNCT/.', ),
     ['spine_base', 'spine_mid', 'spine_shoulder']),
    # "left" as a verb is no side word; nouns that are no body parts
    (('She/PRON/she left/VERB/leave the/DET/the room/NOUN/room with/ADP/with '
      'a/DET/a cup/NOUN/cup ./PUNCT/.', ), []),
    (('Each/DET/each foot/NOUN/foot taps/VERB/tap ./PUNCT/.',
      'Then/ADV/then the/DET/the right/ADJ/right knee/NOUN/knee '
      'lifts/VERB/lift ./PUNCT/.'),
     ['left_ankle', 'left_foot', 'right_knee', 'right_ankle', 'right_foot']),
    # a part joined by 'and' keeps the side; a number does not undo a side;
    # a compound modifier ('index finger') keeps the side in front of it
    (('The/DET/the right/ADJ/right thumb/NOUN/thumb and/CCONJ/and '
      'fingers/NOUN/finger pinch/VERB/pinch ./PUNCT/.', ),
     ['right_hand_tip', 'right_thumb']),
    (('Two/NUM/two right/ADJ/right fingers/NOUN/finger rise/VERB/rise '
      './PUNCT/.', ), ['right_hand_tip', 'right_thumb']),
    (('The/DET/the right/ADJ/right index/NOUN/index finger/NOUN/finger '
      'points/VERB/point ./PUNCT/.', ), ['right_hand_tip', 'right_thumb']),
    (('The/DET/the right/ADJ/right hand/NOUN/hand and/CCONJ/and '
      'the/DET/the left/ADJ/left foot/NOUN/foot move/VERB/move ./PUNCT/.', ),
     ['right_hand', 'left_ankle', 'left_foot', 'right_hand_tip',
      'right_thumb']),
    # a compound noun after the part resets the modifiers
    (('The/DET/the right/ADJ/right knee/NOUN/knee joint/NOUN/joint '
      'and/CCONJ/and hip/NOUN/hip flex/VERB/flex ./PUNCT/.', ),
     ['spine_base', 'left_hip', 'right_hip', 'right_knee']),
]


@pytest.mark.parametrize('sentences, expected', CASES)
def test_stanza_documents(sentences, expected):
    assert key_joints_from_document(doc(*sentences)) == expected


def test_noun_phrases():
    words = document_words(doc(
        'The/DET/the left/ADJ/left and/CCONJ/and right/ADJ/right '
        'hands/NOUN/hand hold/VERB/hold the/DET/the cup/NOUN/cup '
        'and/CCONJ/and tilt/VERB/tilt it/PRON/it ./PUNCT/.'))
    phrases = [' '.join(w.text for w in p) for p in noun_phrases(words)]
    assert phrases == ['The left and right hands', 'the cup']


def test_layout_mapping_of_other_layouts():
    document = doc('The/DET/the right/ADJ/right hand/NOUN/hand and/CCONJ/and '
                   'the/DET/the eyes/NOUN/eye ./PUNCT/.')
    assert key_joints_from_document(document, 'coco17') == [
        'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
        'right_wrist']
    assert key_joints_from_document(document, 'kinect_v1_20') == [
        'head', 'right_hand']


@pytest.mark.parametrize('text, expected', [
    ('She heads to the door with both hands.', HANDS),
    ('The left knee bends.', ['left_knee']),
    ('She steps back and the head tilts.', ['head']),
    ('He lifts his upper body.', ['spine_base', 'spine_mid',
                                  'spine_shoulder']),
    ('The person hands the cup over.', []),
    ("The right arm's fingers grip the cup.",
     ['right_shoulder', 'right_elbow', 'right_wrist', 'right_hand_tip',
      'right_thumb']),
    ('The right thumb and fingers pinch the cap.',
     ['right_hand_tip', 'right_thumb']),
    ('Two right fingers form a V.', ['right_hand_tip', 'right_thumb']),
    ('The right index finger points.', ['right_hand_tip', 'right_thumb']),
    ('The legs and the left arm swing.',
     ['left_shoulder', 'left_elbow', 'left_wrist', 'left_hip', 'left_knee',
      'left_ankle', 'right_hip', 'right_knee', 'right_ankle']),
])
def test_lexical_fallback(text, expected):
    assert lexical_key_joints(text) == expected


def test_extractor_with_a_stanza_pipeline(caplog):
    documents = {'the left knee': doc(
        'the/DET/the left/ADJ/left knee/NOUN/knee')}
    caplog.set_level(logging.INFO)
    extractor = KeyJointExtractor('ntu25', pipeline=documents.get)
    assert extractor.name == f'stanza {stanza.__version__}'
    assert extractor('the left knee') == ['left_knee']
    mask = extractor.mask('the left knee')
    assert mask.dtype == np.float32 and mask.sum() == 1 and mask[13] == 1
    assert 'key-joint extractor: stanza' in caplog.text


def test_missing_stanza_models_fall_back_with_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.INFO):
        extractor = KeyJointExtractor('ntu25', stanza_dir=str(tmp_path))
    assert extractor.name == 'lexical'
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert 'stanza English models (tokenize,pos,lemma) are not installed in '\
        f'{tmp_path}' in message
    assert 'lexical matcher' in message and 'stanza.download' in message
    assert extractor('both hands') == HANDS


def test_stanza_backend_requires_models(tmp_path):
    with pytest.raises(FileNotFoundError, match='stanza English models .* are'
                       ' not installed in .*stanza.download'):
        KeyJointExtractor('ntu25', backend='stanza', stanza_dir=str(tmp_path))
    with pytest.raises(ValueError, match="got 'corenlp'"):
        KeyJointExtractor('ntu25', backend='corenlp')


def test_lexical_backend_is_announced(caplog):
    with caplog.at_level(logging.INFO):
        extractor = KeyJointExtractor('ntu25', backend='lexical')
    assert extractor.name == 'lexical'
    assert 'key-joint extractor: lexical' in caplog.text


def test_fill_key_joints(make_toy, caplog):
    data = make_toy(with_key_joints=False)
    data['classes'][2]['descriptions']['authored']['global'] = 'It waits.'
    extractor = KeyJointExtractor('ntu25', backend='lexical')
    with caplog.at_level(logging.WARNING):
        assert fill_key_joints(data, extractor) == 3
    first = data['classes'][0]['descriptions']['authored']
    assert first['key_joints'] == ['head', 'right_shoulder', 'right_elbow',
                                   'right_wrist', 'right_hand',
                                   'right_hand_tip', 'right_thumb']
    assert data['classes'][1]['descriptions']['authored']['key_joints'] == [
        'left_shoulder', 'left_elbow', 'left_wrist', 'right_shoulder',
        'right_elbow', 'right_wrist', 'right_hip', 'right_knee',
        'right_ankle', 'right_foot']
    assert first['key_joints_extractor'] == 'lexical'
    assert "class 2 ('clapping'): no body part found" in caplog.text
    with pytest.raises(ValueError, match="extractor layout 'coco17' does not "
                       "match the annotations' 'ntu25'"):
        fill_key_joints(data, KeyJointExtractor('coco17', backend='lexical'))
