"""Import description sets that other projects publish.

**Six-body-part format** (as published for skeleton action recognition with
LLM part descriptions): a part file with one class per line,
``label;head ...;hand ...;arm ...;hip ...;leg ...;foot ...`` (or the seven
fields separated by tabs), and a global file with ``label,paragraph`` lines
(or ``label;paragraph``, ``label<TAB>paragraph``). ``label`` is a 0-based
class index or a class name (or code) from a class list; names that differ
from the list are mapped with aliases or by line order (see
:mod:`.class_matching`). When the six segments start with the six part words
(in any order, e.g. ``hand: ...``), each is that part's text; otherwise they
are taken in the order head, hand, arm, hip, leg, foot. Segments keep their
text verbatim; HTML markup in them is reported (or removed on request). A
first line whose label is ``label`` is a header and skipped.

**Mapping onto joints.** Each joint of the layout takes the text of the
first of these groups, in this order, whose layout body parts
(``Layout.parts``) contain it:

======  ==========================================  ====================
group   layout body parts                            NTU-25 joints
======  ==========================================  ====================
hand    hand, finger, thumb                          hand, hand_tip, thumb
foot    foot, toe                                    ankle, foot
arm     arm, shoulder, upper_arm, forearm, elbow,    shoulder, elbow,
        wrist                                        wrist
head    head, neck                                   head, neck
hip     hip, pelvis, waist, torso, spine, chest      hip, spine_base,
                                                     spine_mid,
                                                     spine_shoulder
leg     leg, thigh, knee, shin, ankle                knee
======  ==========================================  ====================

The order makes the most specific part win (an ankle is described by the
foot text, a hip joint by the hip text, COCO's wrist, its only hand joint,
by the hand text).
"""
import datetime
import html
import logging
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Tuple

from ..fileio import read_text
from ..skeleton import get_layout
from .annotations import AnnotationError, new_annotations, \
    upsert_description
from .class_matching import ClassMatcher

logger = logging.getLogger(__name__)

SIX_PARTS = ('head', 'hand', 'arm', 'hip', 'leg', 'foot')
PART_GROUPS = (
    ('hand', ('hand', 'finger', 'thumb')),
    ('foot', ('foot', 'toe')),
    ('arm', ('arm', 'shoulder', 'upper_arm', 'forearm', 'elbow', 'wrist')),
    ('head', ('head', 'neck')),
    ('hip', ('hip', 'pelvis', 'waist', 'torso', 'spine', 'chest')),
    ('leg', ('leg', 'thigh', 'knee', 'shin', 'ankle')),
)
_PART_PREFIX = re.compile(r'(head|hand|arm|hip|leg|foot)s?\b', re.I)
_TAG = re.compile(r'</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>')
_ENTITY = re.compile(r'&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);')


def six_part_joint_map(layout='ntu25') -> Dict[str, str]:
    """Joint name -> six-part group for a layout (see module docstring)."""
    layout = get_layout(layout)
    mapping = {}
    for group, parts in PART_GROUPS:
        for part in parts:
            if part not in layout.parts:
                continue
            for index in layout.part_joints(part):
                mapping.setdefault(layout.joints[index], group)
    unmapped = [j for j in layout.joints if j not in mapping]
    if unmapped:
        raise ValueError(f'layout {layout.name!r}: joints {unmapped} belong '
                         f'to none of the six body parts')
    return {j: mapping[j] for j in layout.joints}


def _lines(path, encoding='utf-8'):
    for number, line in enumerate(
            read_text(path, encoding, AnnotationError).splitlines(), 1):
        if line.strip():
            yield number, line


def markup(text: str) -> List[str]:
    """HTML tags and character entities in ``text``."""
    return _TAG.findall(text) + _ENTITY.findall(text)


def strip_markup(text: str) -> str:
    """``text`` without HTML tags, with entities decoded, spaces joined."""
    return ' '.join(html.unescape(_TAG.sub(' ', text)).split())


def _clean(text, where, strip):
    found = markup(text)
    if not found:
        return text
    if strip:
        logger.warning('%s: removed HTML markup %s', where, found[:5])
        return strip_markup(text)
    logger.warning('%s: HTML markup %s is imported as words of the text '
                   '(strip_markup / --strip-markup removes it)', where,
                   found[:5])
    return text


def _part_fields(line):
    """The seven fields of a part line: ``;``- or tab-separated; a label
    set off by a comma or tab from six ``;`` segments is accepted."""
    fields = line.split(';')
    if len(fields) != 7 and len(line.split('\t')) == 7:
        return line.split('\t')
    if len(fields) == 6:
        label, sep, first = _split_label(fields[0], ',\t')
        if sep:
            return [label, first] + fields[1:]
    return fields


def _split_label(line, separators=',;\t'):
    """(label, separator, rest) at the first of ``separators``."""
    found = [i for i in (line.find(s) for s in separators) if i >= 0]
    if not found:
        return line, '', ''
    i = min(found)
    return line[:i], line[i], line[i + 1:]


def read_six_part_file(path: str, encoding: str = 'utf-8',
                       strip: bool = False
                       ) -> List[Tuple[str, Dict[str, str], int]]:
    """``(label field, {part: text}, line number)`` per line of a six-part
    file.

    Args:
        path (str): The part file.
        encoding (str): Its text encoding. Defaults to 'utf-8'.
        strip (bool): Remove HTML markup (else it is reported). Defaults
            to False.
    """
    rows = []
    for number, line in _lines(path, encoding):
        fields = _part_fields(line)
        if fields[0].strip().lower() == 'label':
            continue
        where = f'{path}:{number}'
        if len(fields) != 7:
            raise AnnotationError(f'{where}: expected "label;head ...;hand '
                                  f'...;arm ...;hip ...;leg ...;foot ..." (7 '
                                  f'fields), got {len(fields)} (fields are '
                                  f'separated by ";" or tabs)')
        texts = [_clean(segment.strip(), where, strip)
                 for segment in fields[1:]]
        empty = [SIX_PARTS[i] for i, text in enumerate(texts) if not text]
        if empty:
            raise AnnotationError(f'{where}: empty description(s) in '
                                  f'position(s) of {empty}')
        named = [_PART_PREFIX.match(text) for text in texts]
        named = [m.group(1).lower() if m else None for m in named]
        order = named if sorted(filter(None, named)) == sorted(SIX_PARTS) \
            else SIX_PARTS
        parts = dict(zip(order, texts))
        rows.append((fields[0].strip(), parts, number))
    return rows


def read_global_file(path: str, encoding: str = 'utf-8',
                     strip: bool = False) -> List[Tuple[str, str, int]]:
    """``(label field, paragraph, line number)`` per ``label,paragraph``
    line (``;`` or a tab may separate them too: the first of the three
    ends the label).

    Args:
        path (str): The global file.
        encoding (str): Its text encoding. Defaults to 'utf-8'.
        strip (bool): Remove HTML markup (else it is reported). Defaults
            to False.
    """
    rows = []
    for number, line in _lines(path, encoding):
        label, sep, paragraph = _split_label(line)
        if label.strip().lower() == 'label':
            continue
        paragraph = paragraph.strip()
        if len(paragraph) >= 2 and paragraph[0] == paragraph[-1] == '"':
            paragraph = paragraph[1:-1].replace('""', '"').strip()
        if not sep or not paragraph:
            raise AnnotationError(f'{path}:{number}: expected '
                                  f'"label,paragraph" (or ";" or a tab after '
                                  f'the label), got {line!r}')
        rows.append((label.strip(),
                     _clean(paragraph, f'{path}:{number}', strip), number))
    return rows


def import_six_part(parts_file: str,
                    global_file: str,
                    set_name: str,
                    layout='ntu25',
                    classes: Optional[Sequence] = None,
                    data: Optional[dict] = None,
                    dataset: Optional[str] = None,
                    llm: Optional[str] = None,
                    note: Optional[str] = None,
                    aliases: Optional[Dict[str, str]] = None,
                    by_order: bool = False,
                    encoding: str = 'utf-8',
                    strip: bool = False) -> dict:
    """Import a six-body-part description set into an annotation dict.

    Args:
        parts_file (str): ``label;head ...;...;foot ...`` file.
        global_file (str): ``label,paragraph`` file.
        set_name (str): Name of the imported description set.
        layout (str | Layout): Joint layout. Defaults to 'ntu25'.
        classes (Sequence[ClassSpec], optional): Class list that resolves
            index, name or code labels. Without it, labels must be names and
            are numbered in order of appearance. Defaults to None.
        data (dict, optional): Annotation dict to add the set to (changed in
            place). Defaults to None (a new dict with ``set_name`` as the
            default set).
        dataset (str, optional): Data set name of a new dict. Defaults to
            the part file's stem.
        llm (str, optional): The LLM that wrote the texts, for the
            provenance. Defaults to None.
        note (str, optional): Provenance note. Defaults to None.
        aliases (dict, optional): Class name in the files -> class name,
            code or label of ``classes``. Defaults to None.
        by_order (bool): The n-th class of the part file is the n-th class
            of ``classes`` (names may differ; they are logged). Defaults to
            False.
        encoding (str): Text encoding of both files. Defaults to 'utf-8'.
        strip (bool): Remove HTML markup from the texts instead of only
            reporting it. Defaults to False.

    Returns:
        dict: The annotation dict.
    """
    layout = get_layout(layout)
    joint_map = six_part_joint_map(layout)
    if data is None:
        data = new_annotations(
            dataset or osp.splitext(osp.basename(parts_file))[0], layout,
            set_name)
    elif get_layout(data['layout']).name != layout.name:
        raise AnnotationError(f'cannot import {layout.name!r} descriptions '
                              f'into a {data["layout"]!r} annotation file')
    resolve = ClassMatcher(classes, aliases, by_order)
    parts, names, codes, lines = {}, {}, {}, {}
    for field, texts, number in read_six_part_file(parts_file, encoding,
                                                   strip):
        label, name, code = resolve(field, f'{parts_file} (label '
                                    f'{field!r})')
        if label in parts:
            raise AnnotationError(f'{parts_file}:{number}: class {name!r} '
                                  f'appears twice')
        parts[label], names[label], codes[label] = texts, name, code
        lines[label] = f'{parts_file}:{number}'
    globals_ = {}
    for field, paragraph, number in read_global_file(global_file, encoding,
                                                     strip):
        label, name, _ = resolve(field, f'{global_file} (label {field!r})',
                                 new=False)
        if label in globals_:
            raise AnnotationError(f'{global_file}:{number}: class {name!r} '
                                  f'appears twice')
        globals_[label] = paragraph
    resolve.finish(f'{parts_file} and {global_file}')
    only_parts = sorted(set(parts) - set(globals_))
    only_global = sorted(set(globals_) - set(parts))
    if only_parts or only_global:
        raise AnnotationError(
            f'{parts_file} and {global_file} list different classes: only in '
            f'the part file {only_parts}, only in the global file '
            f'{only_global}')
    provenance = {
        'source': 'imported',
        'llm': llm,
        'endpoint': None,
        'prompts': [],
        'date': datetime.date.today().isoformat(),
        'note': note or (f'six-body-part format from '
                         f'{osp.basename(parts_file)} and '
                         f'{osp.basename(global_file)}'),
    }
    for label in sorted(parts):
        desc = {
            'global': globals_[label],
            'joints': {j: parts[label][g] for j, g in joint_map.items()},
            'provenance': dict(provenance),
        }
        try:
            upsert_description(data, label, names[label], set_name, desc,
                               codes[label])
        except AnnotationError as e:
            raise AnnotationError(f'{lines[label]}: {e}') from None
    return data
