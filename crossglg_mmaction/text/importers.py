"""Import description sets that other projects publish.

**Six-body-part format** (as published for skeleton action recognition with
LLM part descriptions): a part file with one class per line,
``label;head ...;hand ...;arm ...;hip ...;leg ...;foot ...``, and a global
file with ``label,paragraph`` lines. ``label`` is a 0-based class index or a
class name (or code) from a class list. When the six segments start with the
six part words (in any order, e.g. ``hand: ...``), each is that part's text;
otherwise they are taken in the order head, hand, arm, hip, leg, foot.
Segments keep their text verbatim. A first line whose label is ``label`` is
a header and skipped.

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
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Tuple

from ..skeleton import get_layout
from .annotations import AnnotationError, new_annotations, normalize_name, \
    upsert_description

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


def _lines(path):
    with open(path, encoding='utf-8-sig') as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                yield number, line.rstrip('\n')


def read_six_part_file(path: str) -> List[Tuple[str, Dict[str, str]]]:
    """``(label field, {part: text})`` per line of a six-part file."""
    rows = []
    for number, line in _lines(path):
        fields = line.split(';')
        if fields[0].strip().lower() == 'label':
            continue
        where = f'{path}:{number}'
        if len(fields) != 7:
            raise AnnotationError(f'{where}: expected "label;head ...;hand '
                                  f'...;arm ...;hip ...;leg ...;foot ..." (7 '
                                  f'fields), got {len(fields)}')
        texts = [segment.strip() for segment in fields[1:]]
        empty = [SIX_PARTS[i] for i, text in enumerate(texts) if not text]
        if empty:
            raise AnnotationError(f'{where}: empty description(s) in '
                                  f'position(s) of {empty}')
        named = [_PART_PREFIX.match(text) for text in texts]
        named = [m.group(1).lower() if m else None for m in named]
        order = named if sorted(filter(None, named)) == sorted(SIX_PARTS) \
            else SIX_PARTS
        parts = dict(zip(order, texts))
        rows.append((fields[0].strip(), parts))
    return rows


def read_global_file(path: str) -> List[Tuple[str, str]]:
    """``(label field, paragraph)`` per ``label,paragraph`` line."""
    rows = []
    for number, line in _lines(path):
        label, sep, paragraph = line.partition(',')
        if label.strip().lower() == 'label':
            continue
        paragraph = paragraph.strip()
        if len(paragraph) >= 2 and paragraph[0] == paragraph[-1] == '"':
            paragraph = paragraph[1:-1].replace('""', '"').strip()
        if not sep or not paragraph:
            raise AnnotationError(f'{path}:{number}: expected '
                                  f'"label,paragraph", got {line!r}')
        rows.append((label.strip(), paragraph))
    return rows


class _Labels:
    """Resolves label fields (index, name or code) against a class list."""

    def __init__(self, classes, source):
        self.classes = classes
        self.source = source
        self.by_key = {}
        for c in classes or ():
            self.by_key[normalize_name(c.name)] = c
            if c.code:
                self.by_key[normalize_name(c.code)] = c
        self.by_label = {c.label: c for c in classes or ()}
        self.order = {}

    def __call__(self, field: str, where: str):
        """(label, name, code) of a label field."""
        if re.fullmatch(r'\d+', field):
            label = int(field)
            if not self.classes:
                raise AnnotationError(
                    f'{where}: label {label} is an index; give a class list '
                    f'(classes=...) to name the classes')
            if label not in self.by_label:
                raise AnnotationError(f'{where}: label {label} is not in the '
                                      f'class list')
            c = self.by_label[label]
            return c.label, c.name, c.code
        if self.classes:
            c = self.by_key.get(normalize_name(field))
            if c is None:
                raise AnnotationError(f'{where}: class {field!r} is not in '
                                      f'the class list {self.source}')
            return c.label, c.name, c.code
        key = normalize_name(field)
        self.order.setdefault(key, len(self.order))
        return self.order[key], field, None


def import_six_part(parts_file: str,
                    global_file: str,
                    set_name: str,
                    layout='ntu25',
                    classes: Optional[Sequence] = None,
                    data: Optional[dict] = None,
                    dataset: Optional[str] = None,
                    llm: Optional[str] = None,
                    note: Optional[str] = None) -> dict:
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
    resolve = _Labels(classes, 'given')
    parts, names, codes = {}, {}, {}
    for field, texts in read_six_part_file(parts_file):
        label, name, code = resolve(field, f'{parts_file} (label {field!r})')
        if label in parts:
            raise AnnotationError(f'{parts_file}: class {name!r} appears '
                                  f'twice')
        parts[label], names[label], codes[label] = texts, name, code
    globals_ = {}
    for field, paragraph in read_global_file(global_file):
        label, name, _ = resolve(field, f'{global_file} (label {field!r})')
        if label in globals_:
            raise AnnotationError(f'{global_file}: class {name!r} appears '
                                  f'twice')
        globals_[label] = paragraph
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
        upsert_description(data, label, names[label], set_name, desc,
                           codes[label])
    return data
