"""Text annotation files: schema, validation, loading and atomic saving.

A file holds, per action class, one or more *description sets* (one per
author or LLM, Table 7 of the paper); each set has a global description, one
description per joint of the layout, the key joints extracted from the global
text and the provenance. The format ("crossglg-text-annotations", version 1)
is documented in ``docs/text.md``. Everything is validated when loaded, with
errors that name the file, the class and the key.
"""
import copy
import json
import os.path as osp
from typing import Dict, Iterable, List, Mapping, Optional, Union

import numpy as np

from ..fileio import atomic_write, read_json
from ..skeleton import Layout, get_layout

FORMAT = 'crossglg-text-annotations'
VERSION = 1
SHIPPED = ('ntu120', 'nwucla', 'utdmhad', 'synthetic')
DATA_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'data')

_TOP_KEYS = ('format', 'version', 'dataset', 'layout', 'default_set',
             'classes')
_CLASS_KEYS = ('label', 'code', 'name', 'descriptions')
_SET_KEYS = ('global', 'joints', 'key_joints', 'key_joints_extractor',
             'provenance')


class AnnotationError(ValueError):
    """A text annotation file (or dict) does not follow the format."""


def normalize_name(name: str) -> str:
    """Class name for comparisons: lower case, single spaces."""
    return ' '.join(str(name).lower().split())


def resolve_annotation_file(name_or_path: str) -> str:
    """Map a shipped name (one of :data:`SHIPPED`: ``'ntu120'``,
    ``'nwucla'``, ``'utdmhad'``, ``'synthetic'``) or a path to an existing
    annotation file.

    Args:
        name_or_path (str): A shipped name or a path to a JSON file.

    Returns:
        str: Path of the file.

    Raises:
        FileNotFoundError: naming the shipped names when nothing matches.
    """
    if name_or_path in SHIPPED:
        path = osp.join(DATA_DIR, f'{name_or_path}.json')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'shipped text annotations {name_or_path!r} are missing from '
                f'the installed package (expected {path})')
        return path
    if osp.isfile(name_or_path):
        return name_or_path
    raise FileNotFoundError(
        f'text annotation file {name_or_path!r} not found; give a path to a '
        f'JSON file or one of the shipped names: {", ".join(SHIPPED)}')


def _where(source, entry=None, set_name=None):
    parts = [str(source)]
    if entry is not None:
        label = entry.get('label') if isinstance(entry, dict) else None
        name = entry.get('name') if isinstance(entry, dict) else None
        parts.append(f'class {label!r} ({name!r})' if name else
                     f'class {label!r}')
    if set_name is not None:
        parts.append(f'description set {set_name!r}')
    return ': '.join(parts)


def _check_keys(obj, allowed, where, required):
    missing = [k for k in required if k not in obj]
    if missing:
        raise AnnotationError(f'{where}: missing key(s) {missing}')
    extra = sorted(set(obj) - set(allowed))
    if extra:
        raise AnnotationError(f'{where}: unknown key(s) {extra}; allowed '
                              f'keys: {list(allowed)}')


def _check_text(value, where, key):
    if not isinstance(value, str) or not value.strip():
        raise AnnotationError(f'{where}: {key!r} must be a non-empty string, '
                              f'got {value!r}')
    return value.strip()


def validate_description_set(desc, layout, where='<description set>'):
    """Validate one description set and return a normalised copy.

    Joint texts come back in layout order and key joints in layout order.

    Args:
        desc (dict): ``{'global', 'joints', 'key_joints',
            'key_joints_extractor', 'provenance'}``; the two key-joint
            entries may be absent (not extracted yet).
        layout (str | Layout): Joint layout of the file.
        where (str): Prefix for error messages. Defaults to
            '<description set>'.

    Returns:
        dict: The normalised description set.
    """
    layout = get_layout(layout)
    if not isinstance(desc, dict):
        raise AnnotationError(f'{where}: expected an object, got '
                              f'{type(desc).__name__}')
    _check_keys(desc, _SET_KEYS, where, ('global', 'joints', 'provenance'))
    out = {'global': _check_text(desc['global'], where, 'global')}
    joints = desc['joints']
    if not isinstance(joints, dict):
        raise AnnotationError(f'{where}: "joints" must map joint names to '
                              f'texts, got {type(joints).__name__}')
    missing = [j for j in layout.joints if j not in joints]
    extra = sorted(set(joints) - set(layout.joints))
    if missing or extra:
        raise AnnotationError(
            f'{where}: joints do not match layout {layout.name!r}: missing '
            f'{missing}, extra {extra}; expected exactly: '
            f'{", ".join(layout.joints)}')
    out['joints'] = {
        j: _check_text(joints[j], where, f'joints.{j}')
        for j in layout.joints
    }
    key_joints = desc.get('key_joints')
    extractor = desc.get('key_joints_extractor')
    if key_joints is not None:
        if not isinstance(key_joints, list) or not all(
                isinstance(j, str) for j in key_joints):
            raise AnnotationError(f'{where}: "key_joints" must be a list of '
                                  f'joint names, got {key_joints!r}')
        unknown = [j for j in key_joints if j not in layout.joints]
        if unknown:
            raise AnnotationError(
                f'{where}: key_joints names joints {unknown} that layout '
                f'{layout.name!r} does not have')
        if len(set(key_joints)) != len(key_joints):
            raise AnnotationError(f'{where}: key_joints lists a joint twice: '
                                  f'{key_joints}')
        out['key_joints'] = [j for j in layout.joints if j in key_joints]
        out['key_joints_extractor'] = _check_text(extractor, where,
                                                  'key_joints_extractor')
    elif extractor is not None:
        raise AnnotationError(f'{where}: key_joints_extractor is set but '
                              f'key_joints is missing')
    provenance = desc['provenance']
    if not isinstance(provenance, dict):
        raise AnnotationError(f'{where}: "provenance" must be an object, got '
                              f'{provenance!r}')
    _check_text(provenance.get('source'), where, 'provenance.source')
    out['provenance'] = copy.deepcopy(provenance)
    return out


def _validate(data, source, layout):
    if not isinstance(data, dict):
        raise AnnotationError(
            f'{source}: expected a JSON object with keys {list(_TOP_KEYS)} '
            f'(format {FORMAT!r}), got {type(data).__name__}')
    _check_keys(data, _TOP_KEYS, source, _TOP_KEYS)
    if data['format'] != FORMAT:
        raise AnnotationError(f'{source}: "format" is {data["format"]!r}, '
                              f'expected {FORMAT!r}')
    if data['version'] != VERSION:
        raise AnnotationError(f'{source}: unsupported version '
                              f'{data["version"]!r}; this package reads '
                              f'version {VERSION}')
    try:
        file_layout = get_layout(data['layout'])
    except (KeyError, TypeError) as e:
        raise AnnotationError(f'{source}: {e.args[0]}') from None
    if layout is not None and get_layout(layout).name != file_layout.name:
        raise AnnotationError(
            f'{source}: the file is written for layout '
            f'{file_layout.name!r}, but layout {get_layout(layout).name!r} '
            f'was requested')
    dataset = _check_text(data['dataset'], source, 'dataset')
    default_set = _check_text(data['default_set'], source, 'default_set')
    classes = data['classes']
    if not isinstance(classes, list) or not classes:
        raise AnnotationError(f'{source}: "classes" must be a non-empty '
                              f'list of class objects')
    seen = {}
    out_classes = []
    for entry in classes:
        where = _where(source, entry)
        if not isinstance(entry, dict):
            raise AnnotationError(f'{source}: every class must be an '
                                  f'object, got {entry!r}')
        _check_keys(entry, _CLASS_KEYS, where,
                    ('label', 'name', 'descriptions'))
        label = entry['label']
        if isinstance(label, bool) or not isinstance(label, int) or label < 0:
            raise AnnotationError(f'{where}: "label" must be an integer '
                                  f'>= 0, got {label!r}')
        if label in seen:
            raise AnnotationError(
                f'{source}: duplicate class label {label} (classes '
                f'{seen[label]!r} and {entry["name"]!r})')
        name = _check_text(entry['name'], where, 'name')
        seen[label] = name
        out_entry = {'label': label}
        if entry.get('code') is not None:
            out_entry['code'] = _check_text(entry['code'], where, 'code')
        out_entry['name'] = name
        sets = entry['descriptions']
        if not isinstance(sets, dict) or not sets:
            raise AnnotationError(f'{where}: "descriptions" must map set '
                                  f'names to description sets')
        if default_set not in sets:
            raise AnnotationError(
                f'{where}: no description set {default_set!r} (the file\'s '
                f'default_set); sets: {sorted(sets)}')
        out_entry['descriptions'] = {
            set_name: validate_description_set(
                desc, file_layout, _where(source, entry, set_name))
            for set_name, desc in sets.items()
        }
        out_classes.append(out_entry)
    out_classes.sort(key=lambda e: e['label'])
    return {
        'format': FORMAT,
        'version': VERSION,
        'dataset': dataset,
        'layout': file_layout.name,
        'default_set': default_set,
        'classes': out_classes,
    }


class TextAnnotations:
    """Validated text annotations with one chosen description set.

    Build it with :func:`load_annotations` or :func:`validate_annotations`.

    Args:
        data (dict): A validated annotation dict.
        source (str): File path (or a name for a dict) used in messages.
        description_set (str, optional): The chosen set. Defaults to the
            file's ``default_set``.
    """

    def __init__(self, data, source, description_set=None):
        self.data = data
        self.source = source
        self.layout: Layout = get_layout(data['layout'])
        self.dataset: str = data['dataset']
        self.default_set: str = data['default_set']
        self.description_set: str = description_set or data['default_set']
        self._classes = {e['label']: e for e in data['classes']}

    def __len__(self):
        return len(self._classes)

    def __contains__(self, label):
        return label in self._classes

    @property
    def labels(self) -> List[int]:
        """All class labels, ascending."""
        return sorted(self._classes)

    @property
    def names(self) -> Dict[int, str]:
        """Class label -> class name."""
        return {label: e['name'] for label, e in sorted(self._classes.items())}

    def set_names(self) -> List[str]:
        """Names of all description sets in the file."""
        return sorted({s for e in self._classes.values()
                       for s in e['descriptions']})

    def labels_with_set(self, description_set=None) -> List[int]:
        """Labels of the classes that have a description set."""
        set_name = description_set or self.description_set
        return [label for label in self.labels
                if set_name in self._classes[label]['descriptions']]

    def entry(self, label) -> dict:
        """The class object of a label."""
        if label not in self._classes:
            raise KeyError(f'{self.source}: no class with label {label!r}')
        return self._classes[label]

    def description(self, label, description_set=None) -> dict:
        """One class's description set (the chosen set by default)."""
        set_name = description_set or self.description_set
        sets = self.entry(label)['descriptions']
        if set_name not in sets:
            raise KeyError(
                f'{_where(self.source, self.entry(label))}: no description '
                f'set {set_name!r}; sets: {sorted(sets)}')
        return sets[set_name]

    def joint_texts(self, label, description_set=None) -> List[str]:
        """The joint descriptions of a class, in layout order."""
        joints = self.description(label, description_set)['joints']
        return [joints[j] for j in self.layout.joints]

    def key_joint_mask(self, label, description_set=None) -> np.ndarray:
        """Binary (V,) float32 key-joint mask; ``None`` if not extracted."""
        key_joints = self.description(label, description_set).get(
            'key_joints')
        if key_joints is None:
            return None
        mask = np.zeros(self.layout.num_joints, np.float32)
        mask[[self.layout.index(j) for j in key_joints]] = 1
        return mask

    def to_dict(self) -> dict:
        """A deep copy of the validated annotation dict."""
        return copy.deepcopy(self.data)


def _check_selection(ann, source, labels, description_set):
    sets = ann.set_names()
    if description_set is not None and description_set not in sets:
        raise AnnotationError(f'{source}: unknown description set '
                              f'{description_set!r}; sets in the file: '
                              f'{sets}')
    if labels is not None:
        wanted = labels if isinstance(labels, Mapping) else {
            int(label): None for label in labels}
        missing = sorted(set(wanted) - set(ann.labels))
        if missing:
            raise AnnotationError(
                f'{source}: class label(s) {missing[:20]} of the data set are '
                f'missing from the file (it has {len(ann)} classes, labels '
                f'{ann.labels[0]}..{ann.labels[-1]})')
        wrong = [(label, name, ann.names[label])
                 for label, name in sorted(wanted.items())
                 if name is not None
                 and normalize_name(name) != normalize_name(ann.names[label])]
        if wrong:
            details = '; '.join(f'label {lb}: data set {a!r}, file {b!r}'
                                for lb, a, b in wrong[:10])
            raise AnnotationError(f'{source}: class names differ from the '
                                  f'data set: {details}')
        check = sorted(wanted)
    else:
        check = ann.labels
    set_name = description_set or ann.default_set
    lacking = [label for label in check
               if set_name not in ann.entry(label)['descriptions']]
    if lacking:
        raise AnnotationError(
            f'{source}: description set {set_name!r} is missing for class '
            f'label(s) {lacking[:20]}')


def validate_annotations(data: dict,
                         source: str = '<annotations>',
                         layout=None,
                         labels: Optional[Union[Iterable[int],
                                                Mapping[int, str]]] = None,
                         description_set: Optional[str] = None
                         ) -> TextAnnotations:
    """Validate an annotation dict (e.g. made by a generator).

    Args:
        data (dict): The annotation dict (format of ``docs/text.md``).
        source (str): Name used in error messages. Defaults to
            '<annotations>'.
        layout (str | Layout, optional): Required layout. Defaults to None
            (the file's).
        labels (Iterable[int] | Mapping[int, str], optional): Class labels
            the data set uses, or label -> class name to also check names.
            Defaults to None.
        description_set (str, optional): The set to use; must exist for
            every (requested) class. Defaults to the file's ``default_set``.

    Returns:
        TextAnnotations: The validated annotations.

    Raises:
        AnnotationError: naming the source, class and key that are wrong.
    """
    validated = _validate(data, source, layout)
    ann = TextAnnotations(validated, source, description_set)
    _check_selection(ann, source, labels, description_set)
    return ann


def load_annotations(path: str,
                     layout=None,
                     labels: Optional[Union[Iterable[int],
                                            Mapping[int, str]]] = None,
                     description_set: Optional[str] = None
                     ) -> TextAnnotations:
    """Load and validate a text annotation file.

    Args:
        path (str): A JSON file or a shipped name (see
            :func:`resolve_annotation_file`).
        layout, labels, description_set: See :func:`validate_annotations`.

    Returns:
        TextAnnotations: The validated annotations.
    """
    path = resolve_annotation_file(path)
    data = read_json(path, AnnotationError)
    return validate_annotations(data, path, layout, labels, description_set)


def new_annotations(dataset: str, layout, default_set: str) -> dict:
    """An annotation dict with no classes yet (fill it with
    :func:`upsert_description`)."""
    return {
        'format': FORMAT,
        'version': VERSION,
        'dataset': dataset,
        'layout': get_layout(layout).name,
        'default_set': default_set,
        'classes': [],
    }


def upsert_description(data: dict,
                       label: int,
                       name: str,
                       set_name: str,
                       description: dict,
                       code: Optional[str] = None) -> dict:
    """Insert or replace one class's description set in an annotation dict.

    A missing class is added (classes stay sorted by label); an existing one
    must carry the same name.

    Args:
        data (dict): Annotation dict, changed in place.
        label (int): Class label.
        name (str): Class name.
        set_name (str): Description set name.
        description (dict): The description set (validated here).
        code (str, optional): Class code, e.g. 'A1'. Defaults to None.

    Returns:
        dict: ``data``.
    """
    where = f'class {label!r} ({name!r}): description set {set_name!r}'
    desc = validate_description_set(description, data['layout'], where)
    for entry in data['classes']:
        if entry['label'] == label:
            if normalize_name(entry['name']) != normalize_name(name):
                raise AnnotationError(
                    f'class label {label} is {entry["name"]!r} in the '
                    f'annotations but {name!r} in the class list')
            entry['descriptions'][set_name] = desc
            return data
    entry = {'label': int(label)}
    if code:
        entry['code'] = code
    entry.update(name=name, descriptions={set_name: desc})
    data['classes'].append(entry)
    data['classes'].sort(key=lambda e: e['label'])
    return data


def save_annotations(data: Union[dict, TextAnnotations], path: str) -> None:
    """Validate and write an annotation file atomically (UTF-8, indent 2).

    Args:
        data (dict | TextAnnotations): What to write.
        path (str): Destination; an existing file is replaced only once the
            new content is complete.
    """
    if isinstance(data, TextAnnotations):
        data = data.data
    validated = _validate(data, path, None)
    with atomic_write(path) as f:
        json.dump(validated, f, indent=2, ensure_ascii=False)
        f.write('\n')
