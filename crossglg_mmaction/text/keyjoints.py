"""Key joints (``k_gt``) from a global action description (paper Sec. 3.4).

The paper extracts nouns with CoreNLP's noun-phrase extraction, keeps body
parts and maps them to the joints of the skeleton. Here:

1. **stanza path** (``tokenize,pos,lemma``): noun phrases are maximal runs of
   determiners, possessives, numerals, adjectives, nouns and coordinating
   conjunctions that contain a noun. Each noun (``upos`` NOUN/PROPN) whose
   lemma or word is in :data:`~crossglg_mmaction.skeleton.VOCABULARY` is a
   body-part mention; two-word parts (``upper arm``, ``upper body``,
   ``lower body``) are matched first. The words in front of it, back to the
   previous body part of the phrase, give its side: ``left``/``right``
   restrict it to one side (also with a number: ``two right fingers``),
   ``left and right`` or a both-word (``both``, ``two``, ``either``,
   ``each``) keep both sides. A body part joined to the previous one by
   ``and``/``or`` (``the right thumb and fingers``) or after its ``'s``
   (``the right hand's fingers``) inherits that part's side. Other nouns in
   front of a part are compound modifiers (``right index finger``). Words
   that are not nouns (``she heads off``, ``steps back``) never count.
2. **lexical fallback**, used when stanza's English models are not installed
   (announced with a log WARNING): the same phrase rules on a word list
   instead of a tagger. Words are lower-cased, determiners/possessives,
   side/both words, ``upper``/``lower``/``other``, finger names (``index``,
   ``middle``, ``ring``, ``little``) and ``and``/``or`` act as
   the tags above; every vocabulary word is a noun except the words that are
   often verbs or adverbs (:data:`VERB_PRONE`: head, face, back, hand, ...),
   which count only right after a determiner, possessive, side or both word.
   So ``the head``, ``her hands`` and ``both hands`` count, ``heads to``,
   ``leans back`` and (a known miss) a bare ``claps hands`` do not.

Each mention maps to joints through ``Layout.part_joints(part, side)``.
"""
import logging
import re
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

import numpy as np

from ..skeleton import BOTH_WORDS, SIDE_WORDS, VOCABULARY, get_layout

logger = logging.getLogger(__name__)

LEXICAL = 'lexical'
STANZA_PROCESSORS = 'tokenize,pos,lemma'

# Vocabulary words that are often verbs or adverbs; the lexical fallback
# counts them only after a determiner, possessive, side or both word.
VERB_PRONE = frozenset({'head', 'heads', 'face', 'faces', 'back', 'hand',
                        'hands', 'palm', 'palms', 'arm', 'arms', 'foot',
                        'toe', 'toes', 'heel', 'heels', 'chin'})

_NOUNS = ('NOUN', 'PROPN')
_PHRASE_TAGS = ('DET', 'NUM', 'ADJ', 'NOUN', 'PROPN', 'CCONJ')
_MULTIWORD = frozenset(k for k in VOCABULARY if ' ' in k)
_DETERMINERS = frozenset({'the', 'a', 'an', 'his', 'her', 'their', 'its',
                          'my', 'your', 'our', 'this', 'that', 'these',
                          'those', 'one', 'own', 'same', 'opposite'})
_MODIFIERS = frozenset({'upper', 'lower', 'other', 'index', 'middle',
                        'ring', 'little', 'pointing'})
_CONJUNCTIONS = frozenset({'and', 'or'})


@dataclass(frozen=True)
class Word:
    """A tagged word: text, lemma and universal POS tag."""
    text: str
    lemma: str
    upos: str


@dataclass(frozen=True)
class BodyPartMention:
    """A body part named in text.

    Args:
        part (str): Canonical part (a value of ``VOCABULARY``).
        side (str, optional): ``'left'``, ``'right'`` or None for both.
        phrase (str): The words it was found in.
    """
    part: str
    side: Optional[str]
    phrase: str


def _is_possessive(word) -> bool:
    feats = getattr(word, 'feats', None) or ''
    return (word.upos == 'PRON' and ('Poss=Yes' in feats or getattr(
        word, 'xpos', None) in ('PRP$', 'WP$'))) or (
            word.upos == 'PART' and word.text.lower() in ("'s", "'", 's'))


def document_words(doc) -> List[List[Word]]:
    """Sentences of :class:`Word` from a stanza ``Document``."""
    sentences = []
    for sentence in doc.sentences:
        words = []
        for w in sentence.words:
            upos = w.upos or 'X'
            if _is_possessive(w):
                upos = 'DET' if upos == 'PRON' else 'POSS'
            words.append(Word(w.text, (w.lemma or w.text), upos))
        sentences.append(words)
    return sentences


def _in_phrase(word: Word) -> bool:
    lower = word.text.lower()
    return (word.upos in _PHRASE_TAGS or word.upos == 'POSS'
            or ((lower in SIDE_WORDS or lower in BOTH_WORDS)
                and word.upos not in ('VERB', 'AUX')))


def noun_phrases(sentences: Sequence[Sequence[Word]]) -> List[List[Word]]:
    """Noun phrases: maximal runs of phrase words that contain a noun.

    Args:
        sentences (list[list[Word]]): Tagged sentences (see
            :func:`document_words`).

    Returns:
        list[list[Word]]: The phrases, in text order.
    """
    phrases = []
    for words in sentences:
        run = []
        for word in list(words) + [Word('', '', 'X')]:
            if _in_phrase(word) and not (word.upos == 'CCONJ' and not run):
                run.append(word)
                continue
            while run and run[-1].upos in ('CCONJ', 'POSS'):
                run.pop()
            if any(w.upos in _NOUNS for w in run):
                phrases.append(run)
            run = []
    return phrases


def _part_of(words: Sequence[Word], i: int):
    """(part, number of words) of the body part ending at ``words[i]``."""
    if i > 0:
        for first in (words[i - 1].text.lower(), words[i - 1].lemma.lower()):
            for last in (words[i].text.lower(), words[i].lemma.lower()):
                if f'{first} {last}' in _MULTIWORD:
                    return VOCABULARY[f'{first} {last}'], 2
    for form in (words[i].lemma.lower(), words[i].text.lower()):
        if form in VOCABULARY:
            return VOCABULARY[form], 1
    return None, 0


def phrase_mentions(phrase: Sequence[Word]) -> List[BodyPartMention]:
    """Body-part mentions of one noun phrase, with their sides."""
    mentions = []
    start = 0
    last_side, last_end = None, None
    for i, word in enumerate(phrase):
        lower = word.text.lower()
        if word.upos not in _NOUNS or lower in SIDE_WORDS or \
                lower in BOTH_WORDS:
            continue
        part, width = _part_of(phrase, i)
        if part is None:
            # a compound modifier ('index' in 'right index finger') keeps
            # the words before it; any other noun ends the modifiers
            if i + 1 >= len(phrase) or phrase[i + 1].upos not in _NOUNS:
                start = i + 1
                last_end = None
            continue
        modifiers = [w.text.lower() for w in phrase[start:i + 1 - width]]
        side = _side(modifiers, phrase, i - width, last_side, last_end)
        text = ' '.join(w.text for w in phrase[start:i + 1])
        mentions.append(BodyPartMention(part, side, text))
        start = i + 1
        last_side, last_end = side, i + 1
    return mentions


def _side(modifiers, phrase, before, last_side, last_end):
    """Side of a body part from the words in front of it.

    An explicit single side wins ('two right fingers'); two sides or a
    both-word without a side mean both sides; a part joined by 'and'/'or'
    to the previous part (``right thumb and fingers``) or following its
    ``'s`` (``the right hand's fingers``) takes that part's side.
    """
    sides = {SIDE_WORDS[m] for m in modifiers if m in SIDE_WORDS}
    if len(sides) == 1:
        return sides.pop()
    if sides or any(m in BOTH_WORDS for m in modifiers):
        return None
    joined = last_end is not None and last_end == before + 1 - len(
        modifiers) and all(m in _CONJUNCTIONS or m == "'s"
                           for m in modifiers) and modifiers
    return last_side if joined else None


def mentions_from_words(sentences) -> List[BodyPartMention]:
    """All body-part mentions of tagged sentences."""
    return [m for phrase in noun_phrases(sentences)
            for m in phrase_mentions(phrase)]


def mentions_to_joints(mentions: Sequence[BodyPartMention],
                       layout='ntu25') -> List[str]:
    """Joint names (layout order) covered by body-part mentions."""
    layout = get_layout(layout)
    indices = set()
    for m in mentions:
        if m.part in layout.parts:
            indices.update(layout.part_joints(m.part, m.side))
    return [layout.joints[i] for i in sorted(indices)]


def key_joints_from_document(doc, layout='ntu25') -> List[str]:
    """Key joints from a stanza ``Document`` (tokenize, pos, lemma)."""
    return mentions_to_joints(mentions_from_words(document_words(doc)),
                              layout)


def lexical_words(text: str) -> List[List[Word]]:
    """Tag text with the lexical fallback's word lists (one sentence)."""
    tokens = re.findall(r"[a-z]+(?:'s)?|[.,;:!?]", text.lower())
    words = []
    for token in tokens:
        stem = token[:-2] if token.endswith("'s") else token
        previous = words[-1] if words else None
        if stem in _DETERMINERS or stem in BOTH_WORDS:
            upos = 'DET'
        elif stem in SIDE_WORDS or stem in _MODIFIERS:
            upos = 'ADJ'
        elif stem in _CONJUNCTIONS:
            upos = 'CCONJ'
        elif previous is not None and \
                f'{previous.text} {stem}' in VOCABULARY:
            upos = 'NOUN'
        elif stem in VOCABULARY and (stem not in VERB_PRONE or (
                previous is not None
                and previous.upos in ('DET', 'ADJ', 'POSS'))):
            upos = 'NOUN'
        else:
            upos = 'X'
        words.append(Word(stem, stem, upos))
        if token.endswith("'s"):
            words.append(Word("'s", "'s", 'POSS'))
    return [words]


def lexical_key_joints(text: str, layout='ntu25') -> List[str]:
    """Key joints with the lexical fallback (no stanza models needed)."""
    return mentions_to_joints(mentions_from_words(lexical_words(text)),
                              layout)


def stanza_model_dir(model_dir: Optional[str] = None) -> str:
    """Where stanza looks for its models."""
    if model_dir:
        return model_dir
    from stanza.resources.common import DEFAULT_MODEL_DIR
    return DEFAULT_MODEL_DIR


def load_stanza_pipeline(model_dir: Optional[str] = None, lang='en'):
    """A stanza pipeline (tokenize, pos, lemma) from installed models only.

    Args:
        model_dir (str, optional): stanza model directory. Defaults to
            stanza's default (``$STANZA_RESOURCES_DIR``).
        lang (str): Language. Defaults to 'en'.

    Returns:
        stanza.Pipeline: The pipeline; never downloads.

    Raises:
        FileNotFoundError: when the models are not installed.
    """
    import stanza
    return stanza.Pipeline(
        lang,
        dir=stanza_model_dir(model_dir),
        processors=STANZA_PROCESSORS,
        download_method=None,
        logging_level='WARN')


class KeyJointExtractor:
    """Extract key joints from global descriptions.

    Args:
        layout (str | Layout): Joint layout. Defaults to 'ntu25'.
        backend (str): ``'auto'`` (stanza if its English models are
            installed, else the lexical fallback with a WARNING),
            ``'stanza'`` (error if not installed) or ``'lexical'``.
            Defaults to 'auto'.
        stanza_dir (str, optional): stanza model directory. Defaults to None
            (stanza's default).
        pipeline (callable, optional): Text -> stanza ``Document``, used
            instead of loading a pipeline. Defaults to None.
    """

    def __init__(self,
                 layout='ntu25',
                 backend: str = 'auto',
                 stanza_dir: Optional[str] = None,
                 pipeline: Optional[Callable] = None):
        if backend not in ('auto', 'stanza', LEXICAL):
            raise ValueError(f'key-joint backend must be auto, stanza or '
                             f'lexical, got {backend!r}')
        self.layout = get_layout(layout)
        self.pipeline = pipeline
        if pipeline is None and backend != LEXICAL:
            try:
                self.pipeline = load_stanza_pipeline(stanza_dir)
            except FileNotFoundError as e:
                where = stanza_model_dir(stanza_dir)
                how = ('install them with `python -c "import stanza; '
                       f"stanza.download('en', processors='"
                       f"{STANZA_PROCESSORS}')\"` (or pass their "
                       'directory)')
                if backend == 'stanza':
                    raise FileNotFoundError(
                        f'stanza English models ({STANZA_PROCESSORS}) are not '
                        f'installed in {where}: {e}; {how}') from None
                logger.warning(
                    'stanza English models (%s) are not installed in %s; key '
                    'joints fall back to the lexical matcher (docs/text.md, '
                    '"Lexical fallback"). To use stanza, %s.',
                    STANZA_PROCESSORS, where, how)
        if self.pipeline is None:
            self.name = LEXICAL
        else:
            import stanza
            self.name = f'stanza {stanza.__version__}'
        logger.info('key-joint extractor: %s (layout %s)', self.name,
                    self.layout.name)

    def mentions(self, text: str) -> List[BodyPartMention]:
        """Body-part mentions in a text."""
        if self.pipeline is None:
            return mentions_from_words(lexical_words(text))
        return mentions_from_words(document_words(self.pipeline(text)))

    def __call__(self, text: str) -> List[str]:
        """Key joint names of a global description, in layout order."""
        return mentions_to_joints(self.mentions(text), self.layout)

    def mask(self, text: str) -> np.ndarray:
        """Binary (V,) float32 key-joint mask of a global description."""
        mask = np.zeros(self.layout.num_joints, np.float32)
        mask[[self.layout.index(j) for j in self(text)]] = 1
        return mask


def fill_key_joints(data: dict,
                    extractor: KeyJointExtractor,
                    description_set: Optional[str] = None) -> int:
    """Extract and store key joints for one description set of every class.

    Args:
        data (dict): A validated annotation dict, changed in place.
        extractor (KeyJointExtractor): Extractor for the file's layout.
        description_set (str, optional): Set to fill. Defaults to the file's
            ``default_set``.

    Returns:
        int: Number of classes filled.
    """
    if get_layout(data['layout']).name != extractor.layout.name:
        raise ValueError(f'extractor layout {extractor.layout.name!r} does '
                         f'not match the annotations\' {data["layout"]!r}')
    set_name = description_set or data['default_set']
    count = 0
    for entry in data['classes']:
        desc = entry['descriptions'].get(set_name)
        if desc is None:
            continue
        desc['key_joints'] = extractor(desc['global'])
        desc['key_joints_extractor'] = extractor.name
        if not desc['key_joints']:
            logger.warning('class %s (%r): no body part found in the global '
                           'description of set %r (a training set refuses '
                           'it unless text_bank.no_key_joints=\'all_joints\''
                           ')', entry['label'], entry['name'], set_name)
        count += 1
    return count
