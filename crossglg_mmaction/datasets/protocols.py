"""One-shot protocols: novel classes and their exemplars, base and dev sets.

A protocol is data (JSON or YAML). The built-in ones live in
``crossglg_mmaction/data/protocols/`` (``ntu120``, ``ntu60``, ``nwucla``,
``utdmhad``, ``kinetics``); ``docs/protocols.md`` says where each fact comes
from. File format (labels are the 0-based labels of the MMAction2 pickle)::

    {"name": "synthetic", "layout": "ntu25", "num_classes": 20,
     "novel_classes": [12, 13],
     "exemplars": {"12": "S000P001R000A013", "13": "..."},
     "base_classes": [0, 1],            # optional: the auxiliary pool
     "dev_classes": [2], "dev_exemplars": {"2": "..."},     # optional
     "class_names": ["...", ...],       # optional, one per label
     "exemplar_rule": "first",          # optional, see below
     "description": "...", "sources": ["..."]}              # optional

``base_classes`` is the auxiliary pool from which base subsets are taken; it
defaults to every label that is not novel. It may be empty (every class is
novel: one-shot on a set of one's own classes with a model trained
elsewhere); such a protocol has no base subset, so it cannot train and
evaluates with the prototype classifier only. ``exemplar_rule: "first"`` lets a
novel (or dev) class without a listed exemplar take its sample with the
smallest ``frame_dir`` in the annotation file.
"""
import json
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

from ..skeleton import get_layout

PROTOCOL_DIR = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'data', 'protocols')
BUILTIN_PROTOCOLS = ('ntu120', 'ntu60', 'nwucla', 'utdmhad', 'kinetics')
SUBSETS = ('base', 'novel', 'dev')
EXEMPLAR_RULES = ('first', )
_REQUIRED_KEYS = ('name', 'layout', 'num_classes', 'novel_classes')
_OPTIONAL_KEYS = ('exemplars', 'base_classes', 'dev_classes',
                  'dev_exemplars', 'class_names', 'exemplar_rule',
                  'description', 'sources')


@dataclass(frozen=True)
class OneShotProtocol:
    """A validated one-shot protocol; build it with :func:`get_protocol`.

    Args:
        name (str): Protocol name.
        layout (str): Canonical skeleton layout name.
        num_classes (int): Number of labels in the annotation file.
        novel_classes (tuple[int]): Novel (evaluation) class labels, sorted.
        exemplars (dict[int, str]): Novel label -> exemplar ``frame_dir``.
        auxiliary_classes (tuple[int]): Pool of base (training) labels,
            sorted; empty when every class is novel.
        dev_classes (tuple[int]): Held-out development labels, sorted.
        dev_exemplars (dict[int, str]): Dev label -> exemplar ``frame_dir``.
        class_names (tuple[str], optional): One name per label.
        exemplar_rule (str, optional): ``'first'`` or None.
        description (str): Free text.
        sources (tuple[str]): Where the facts come from.
        source (str): The file (or built-in name) it was read from.
    """
    name: str
    layout: str
    num_classes: int
    novel_classes: Tuple[int, ...]
    exemplars: Dict[int, str]
    auxiliary_classes: Tuple[int, ...]
    dev_classes: Tuple[int, ...] = ()
    dev_exemplars: Dict[int, str] = field(default_factory=dict)
    class_names: Optional[Tuple[str, ...]] = None
    exemplar_rule: Optional[str] = None
    description: str = ''
    sources: Tuple[str, ...] = ()
    source: str = '<dict>'

    def base_classes(self,
                     num: Optional[int] = None,
                     holdout_dev: bool = False) -> List[int]:
        """Base (training) labels.

        The first ``num`` auxiliary labels in ascending order (the
        documented assumption for NTU's 20/40/60/80 base sets), all of them
        when ``num`` is None. With ``holdout_dev`` the dev classes are then
        removed from that set, so validating on them never trains on them.

        Args:
            num (int, optional): Size of the base set. Defaults to None.
            holdout_dev (bool): Remove the dev classes. Defaults to False.

        Returns:
            list[int]: Sorted base labels.
        """
        pool = list(self.auxiliary_classes)
        if not pool:
            raise ValueError(
                f'protocol {self.name!r} ({self.source}) has no base classes '
                '(every class is novel): it cannot train, and distribution '
                'calibration has no base statistics; evaluate with the '
                'prototype classifier only (tools/test_oneshot.py '
                '--no-calibration)')
        if num is not None:
            if isinstance(num, bool) or not isinstance(num, int) or \
                    not 1 <= num <= len(pool):
                raise ValueError(
                    f'protocol {self.name!r} ({self.source}): num_base_'
                    f'classes must be an integer in 1..{len(pool)} (the '
                    f'auxiliary classes), got {num!r}')
            pool = pool[:num]
        if holdout_dev:
            if not self.dev_classes:
                raise ValueError(f'protocol {self.name!r} ({self.source}) '
                                 'has no dev_classes to hold out')
            pool = [c for c in pool if c not in set(self.dev_classes)]
        if not pool:
            raise ValueError(f'protocol {self.name!r} ({self.source}): no '
                             'base class is left after holding out the dev '
                             'classes')
        return pool

    def subset_classes(self,
                       subset: str,
                       num_base_classes: Optional[int] = None,
                       base_classes: Optional[Sequence[int]] = None,
                       holdout_dev: bool = False) -> List[int]:
        """Sorted labels of ``'base'``, ``'novel'`` or ``'dev'``.

        Args:
            subset (str): Which subset.
            num_base_classes (int, optional): See :meth:`base_classes`.
                Defaults to None.
            base_classes (Sequence[int], optional): An explicit base set,
                checked against the protocol (used instead of the first N).
                Defaults to None.
            holdout_dev (bool): Remove the dev classes from the base set.
                Defaults to False.
        """
        if subset not in SUBSETS:
            raise ValueError(f'subset must be one of {SUBSETS}, got '
                             f'{subset!r}')
        if subset == 'novel':
            return list(self.novel_classes)
        if subset == 'dev':
            if not self.dev_classes:
                raise ValueError(f'protocol {self.name!r} ({self.source}) '
                                 "has no dev_classes; subset='dev' needs "
                                 'them')
            return list(self.dev_classes)
        if base_classes is None:
            return self.base_classes(num_base_classes, holdout_dev)
        return self._check_user_base(base_classes, num_base_classes,
                                     holdout_dev)

    def _check_user_base(self, base_classes, num_base_classes, holdout_dev):
        where = f'protocol {self.name!r} ({self.source}): base_classes'
        labels = _label_list(base_classes, where, self.num_classes)
        if num_base_classes is not None and num_base_classes != len(labels):
            raise ValueError(f'{where} has {len(labels)} labels but '
                             f'num_base_classes={num_base_classes}')
        for name, other in (('novel', self.novel_classes),
                            ('dev', self.dev_classes if holdout_dev else ())):
            overlap = sorted(set(labels) & set(other))
            if overlap:
                raise ValueError(f'{where} overlap the {name} classes '
                                 f'{overlap}')
        return sorted(labels)

    @property
    def has_base(self) -> bool:
        """Whether the protocol has base (auxiliary) classes."""
        return bool(self.auxiliary_classes)

    def subset_exemplars(self, subset: str) -> Dict[int, str]:
        """Label -> exemplar ``frame_dir`` of the novel or dev subset."""
        if subset == 'novel':
            return dict(self.exemplars)
        if subset == 'dev':
            return dict(self.dev_exemplars)
        return {}

    def names(self, labels: Sequence[int]) -> List[str]:
        """Class names of ``labels`` (the label as text when unnamed)."""
        if self.class_names is None:
            return [str(label) for label in labels]
        return [self.class_names[label] for label in labels]

    def to_dict(self) -> dict:
        """The protocol in its file format (JSON-serialisable)."""
        data = dict(
            name=self.name,
            layout=self.layout,
            num_classes=self.num_classes,
            novel_classes=list(self.novel_classes),
            exemplars={str(k): v
                       for k, v in sorted(self.exemplars.items())},
            base_classes=list(self.auxiliary_classes),
            dev_classes=list(self.dev_classes),
            dev_exemplars={
                str(k): v
                for k, v in sorted(self.dev_exemplars.items())
            },
            exemplar_rule=self.exemplar_rule,
            description=self.description,
            sources=list(self.sources))
        if self.class_names is not None:
            data['class_names'] = list(self.class_names)
        return data

    @classmethod
    def from_dict(cls, data: dict, source: str = '<dict>'):
        """Validate a protocol dict (file format) and build the protocol.

        Raises:
            ValueError: naming the source and the key for a missing or
                unknown key, a label outside ``0..num_classes-1``, duplicate
                labels or exemplars, novel classes overlapping base or dev
                classes, or a novel/dev class without an exemplar.
        """
        if not isinstance(data, dict):
            raise ValueError(f'protocol {source}: expected a mapping, got '
                             f'{type(data).__name__}')
        missing = [k for k in _REQUIRED_KEYS if k not in data]
        unknown = sorted(set(data) - set(_REQUIRED_KEYS + _OPTIONAL_KEYS))
        if missing or unknown:
            raise ValueError(
                f'protocol {source}: missing keys {missing}, unknown keys '
                f'{unknown}; expected {list(_REQUIRED_KEYS)} and optionally '
                f'{list(_OPTIONAL_KEYS)}')
        name = data['name']
        where = f'protocol {name!r} ({source})'
        try:
            layout = get_layout(data['layout']).name
        except KeyError as err:
            raise ValueError(f'{where}: layout: {err.args[0]}') from None
        num_classes = data['num_classes']
        if isinstance(num_classes, bool) or not isinstance(
                num_classes, int) or num_classes < 2:
            raise ValueError(f'{where}: num_classes must be an integer >= 2,'
                             f' got {num_classes!r}')

        novel = _label_list(data['novel_classes'], f'{where}: novel_classes',
                            num_classes)
        if not novel:
            raise ValueError(f'{where}: novel_classes is empty')
        dev = _label_list(
            data.get('dev_classes') or [], f'{where}: dev_classes',
            num_classes)
        if 'base_classes' in data and data['base_classes'] is not None:
            auxiliary = _label_list(data['base_classes'],
                                    f'{where}: base_classes', num_classes)
        else:
            auxiliary = [c for c in range(num_classes) if c not in novel]
        for key, other in (('base_classes', auxiliary), ('dev_classes', dev)):
            overlap = sorted(set(novel) & set(other))
            if overlap:
                raise ValueError(f'{where}: novel classes {overlap} also '
                                 f'appear in {key}')

        rule = data.get('exemplar_rule')
        if rule is not None and rule not in EXEMPLAR_RULES:
            raise ValueError(f'{where}: exemplar_rule must be one of '
                             f'{EXEMPLAR_RULES} or null, got {rule!r}')
        exemplars = _exemplar_map(
            data.get('exemplars') or {}, f'{where}: exemplars', novel,
            'novel', rule)
        dev_exemplars = _exemplar_map(
            data.get('dev_exemplars') or {}, f'{where}: dev_exemplars', dev,
            'dev', rule)
        all_exemplars = list(exemplars.values()) + list(
            dev_exemplars.values())
        repeated = sorted({e for e in all_exemplars
                           if all_exemplars.count(e) > 1})
        if repeated:
            raise ValueError(f'{where}: exemplars used for more than one '
                             f'class: {repeated}')

        class_names = data.get('class_names')
        if class_names is not None:
            class_names = tuple(
                _name_list(class_names, f'{where}: class_names',
                           num_classes))
        sources = data.get('sources') or ()
        if isinstance(sources, str):
            sources = (sources, )
        return cls(
            name=str(name),
            layout=layout,
            num_classes=num_classes,
            novel_classes=tuple(sorted(novel)),
            exemplars=exemplars,
            auxiliary_classes=tuple(sorted(auxiliary)),
            dev_classes=tuple(sorted(dev)),
            dev_exemplars=dev_exemplars,
            class_names=class_names,
            exemplar_rule=rule,
            description=str(data.get('description') or ''),
            sources=tuple(str(s) for s in sources),
            source=source)


def _is_label(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _label_list(values, where: str, num_classes: int) -> List[int]:
    """Check a list of unique labels in ``0..num_classes-1``."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(
            values, '__iter__'):
        raise ValueError(f'{where}: expected a list of labels, got '
                         f'{values!r}')
    values = list(values)
    bad = [v for v in values if not _is_label(v) or
           not 0 <= v < num_classes]
    if bad:
        raise ValueError(f'{where}: unknown labels {bad}; labels are '
                         f'integers in 0..{num_classes - 1}')
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f'{where}: duplicate labels {repeated}')
    return values


def _exemplar_map(mapping, where: str, classes: List[int], kind: str,
                  rule: Optional[str]) -> Dict[int, str]:
    """Check label -> frame_dir for exactly the given classes."""
    if not isinstance(mapping, dict):
        raise ValueError(f'{where}: expected a mapping label -> frame_dir, '
                         f'got {type(mapping).__name__}')
    exemplars = {}
    for key, frame_dir in mapping.items():
        try:
            label = int(key)
        except (TypeError, ValueError):
            raise ValueError(f'{where}: key {key!r} is not a label') \
                from None
        if label not in classes:
            raise ValueError(f'{where}: exemplar {frame_dir!r} is given for '
                             f'label {label}, which is not a {kind} class '
                             f'({sorted(classes)})')
        if label in exemplars:
            raise ValueError(f'{where}: label {label} has more than one '
                             'exemplar')
        if not isinstance(frame_dir, str) or not frame_dir:
            raise ValueError(f'{where}: exemplar of label {label} must be a '
                             f'frame_dir string, got {frame_dir!r}')
        exemplars[label] = frame_dir
    missing = sorted(set(classes) - set(exemplars))
    if missing and rule is None:
        raise ValueError(f'{where}: {kind} classes {missing} have no '
                         'exemplar (list one per class, or set '
                         'exemplar_rule)')
    return exemplars


def _name_list(names, where: str, num_classes: int) -> List[str]:
    if isinstance(names, str) or not hasattr(names, '__iter__'):
        raise ValueError(f'{where}: expected a list of names')
    names = list(names)
    if len(names) != num_classes:
        raise ValueError(f'{where}: {len(names)} names for num_classes='
                         f'{num_classes}; give one name per label')
    empty = [i for i, n in enumerate(names)
             if not isinstance(n, str) or not n.strip()]
    if empty:
        raise ValueError(f'{where}: labels {empty} have no name')
    return [n.strip() for n in names]


def load_protocol(path: str) -> OneShotProtocol:
    """Read and validate a protocol file (``.json``, ``.yaml``, ``.yml``)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'protocol file not found: {path}')
    ext = osp.splitext(path)[1].lower()
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if ext == '.json':
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f'protocol file {path} is not valid JSON: '
                             f'{err}') from None
    elif ext in ('.yaml', '.yml'):
        import yaml
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise ValueError(f'protocol file {path} is not valid YAML: '
                             f'{err}') from None
    else:
        raise ValueError(f'protocol file {path}: expected .json, .yaml or '
                         f'.yml, got {ext!r}')
    return OneShotProtocol.from_dict(data, source=path)


def get_protocol(
        name_or_path: Union[str, dict, OneShotProtocol]) -> OneShotProtocol:
    """A built-in protocol by name, a protocol file, or a dict.

    Args:
        name_or_path (str | dict | OneShotProtocol): ``'ntu120'``,
            ``'ntu60'``, ``'nwucla'``, ``'utdmhad'``, ``'kinetics'``, a
            ``.json`` / ``.yaml`` path, a protocol dict (file format) or a
            protocol (returned as is).

    Returns:
        OneShotProtocol: The validated protocol.
    """
    if isinstance(name_or_path, OneShotProtocol):
        return name_or_path
    if isinstance(name_or_path, dict):
        return OneShotProtocol.from_dict(dict(name_or_path))
    if not isinstance(name_or_path, str):
        raise TypeError(f'protocol must be a name, a path or a dict, got '
                        f'{type(name_or_path).__name__}')
    if name_or_path in BUILTIN_PROTOCOLS:
        return load_protocol(osp.join(PROTOCOL_DIR, f'{name_or_path}.json'))
    if osp.splitext(name_or_path)[1] or osp.sep in name_or_path:
        return load_protocol(name_or_path)
    raise ValueError(f'unknown one-shot protocol {name_or_path!r}: give one '
                     f'of {BUILTIN_PROTOCOLS} or a .json/.yaml file')
