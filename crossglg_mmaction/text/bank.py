"""The text bank: per class, joint-text embeddings ``t`` and key joints
``k_gt``, computed once and cached so training never runs a text encoder.

A bank is an ``.npz`` with ``labels`` (K,) int64, ``embeddings`` (K, V, C)
float32, ``key_joints`` (K, V) float32 and ``meta`` (a JSON string). Its
cache key covers the encoder (name, revision, width), the layout, the
description set, the labels and the sha256 of the texts (and, for the
TF-IDF encoder, of the corpus it is fitted on); a bank in the cache folder
whose key differs is reported as stale and rebuilt, a bank file the caller
named is refused instead, never replaced.
"""
import datetime
import hashlib
import json
import logging
import os
import os.path as osp
import time
import zipfile
from dataclasses import dataclass
from typing import Iterable, Optional, Union

import numpy as np

from ..fileio import atomic_write
from ..skeleton import get_layout
from .annotations import TextAnnotations, load_annotations, \
    validate_annotations
from .encoders import build_text_encoder
from .keyjoints import KeyJointExtractor

logger = logging.getLogger(__name__)

BANK_FORMAT = 'crossglg-text-bank'
BANK_VERSION = 1
DEFAULT_ENCODER = dict(type='tfidf_svd', dim=256)
_ARRAYS = ('labels', 'embeddings', 'key_joints', 'meta')
_KEY_FIELDS = ('encoder', 'layout', 'description_set', 'labels',
               'texts_sha256', 'corpus_sha256', 'extractor')


def default_cache_dir() -> str:
    """``$XDG_CACHE_HOME/crossglg_mmaction/text_banks`` (or ``~/.cache``)."""
    root = os.environ.get('XDG_CACHE_HOME') or osp.join(
        osp.expanduser('~'), '.cache')
    return osp.join(root, 'crossglg_mmaction', 'text_banks')


@dataclass
class TextBank:
    """Per-class joint-text embeddings and key-joint masks.

    Args:
        labels (np.ndarray): (K,) int64 class labels.
        embeddings (np.ndarray): (K, V, C) float32, one embedding per joint
            description.
        key_joints (np.ndarray): (K, V) float32 binary ``k_gt``.
        meta (dict): Encoder, layout, description set, text hashes, ...
        path (str, optional): File it was loaded from. Defaults to None.
    """
    labels: np.ndarray
    embeddings: np.ndarray
    key_joints: np.ndarray
    meta: dict
    path: Optional[str] = None

    def __post_init__(self):
        where = self.path or 'text bank'
        self.labels = np.asarray(self.labels, np.int64)
        self.embeddings = np.asarray(self.embeddings, np.float32)
        self.key_joints = np.asarray(self.key_joints, np.float32)
        k = self.labels.shape[0] if self.labels.ndim == 1 else -1
        if self.labels.ndim != 1 or self.embeddings.ndim != 3 or \
                self.key_joints.shape != (k, self.embeddings.shape[1]) or \
                self.embeddings.shape[0] != k:
            raise ValueError(
                f'{where}: inconsistent shapes: labels {self.labels.shape}, '
                f'embeddings {self.embeddings.shape}, key_joints '
                f'{self.key_joints.shape}; expected (K,), (K, V, C), (K, V)')
        if len(set(self.labels.tolist())) != k:
            raise ValueError(f'{where}: duplicate labels in the bank')
        bad = ~(np.isfinite(self.embeddings).all(axis=(1, 2))
                & np.isfinite(self.key_joints).all(axis=1))
        if bad.any():
            raise ValueError(f'{where}: NaN/inf values in the embeddings or '
                             f'key joints of class label(s) '
                             f'{self.labels[bad].tolist()[:20]}')
        self._rows = {int(label): i for i, label in enumerate(self.labels)}

    @property
    def layout(self) -> str:
        """Layout name the bank was built for."""
        return self.meta.get('layout')

    @property
    def dim(self) -> int:
        """Embedding width ``C_txt``."""
        return int(self.embeddings.shape[2])

    @property
    def num_joints(self) -> int:
        return int(self.embeddings.shape[1])

    def for_label(self, label: int):
        """(embedding (V, C), key_joints (V,)) of one class label."""
        row = self._rows.get(int(label))
        if row is None:
            raise KeyError(f'{self.path or "text bank"}: no class label '
                           f'{label}; the bank has {len(self._rows)} labels '
                           f'{self.labels.tolist()[:20]}')
        return self.embeddings[row], self.key_joints[row]

    def check(self, layout=None, labels: Optional[Iterable[int]] = None,
              dim: Optional[int] = None, source: str = 'the config'):
        """Raise ``ValueError`` naming both sides when the bank does not fit.

        Args:
            layout (str | Layout, optional): Expected layout.
            labels (Iterable[int], optional): Labels that must be present.
            dim (int, optional): Expected embedding width.
            source (str): Who expects it, for the message. Defaults to
                'the config'.
        """
        where = self.path or 'text bank'
        if layout is not None and get_layout(layout).name != self.layout:
            raise ValueError(f'{where} was built for layout {self.layout!r} '
                             f'but {source} uses {get_layout(layout).name!r}')
        if layout is not None and \
                get_layout(layout).num_joints != self.num_joints:
            raise ValueError(f'{where} holds {self.num_joints} joints per '
                             f'class but layout {get_layout(layout).name!r} '
                             f'of {source} has '
                             f'{get_layout(layout).num_joints}')
        if labels is not None:
            missing = sorted(set(int(x) for x in labels) - set(self._rows))
            if missing:
                raise ValueError(f'{where} lacks class label(s) '
                                 f'{missing[:20]} that {source} uses')
        if dim is not None and dim != self.dim:
            raise ValueError(f'{where} holds {self.dim}-d text embeddings '
                             f'but {source} expects {dim}-d')


def save_text_bank(bank: TextBank, path: str) -> None:
    """Write a bank to ``path`` atomically (a valid old file stays until the
    new one is complete)."""
    with atomic_write(path, 'wb') as f:
        np.savez(f, labels=bank.labels, embeddings=bank.embeddings,
                 key_joints=bank.key_joints,
                 meta=np.array(json.dumps(bank.meta, sort_keys=True)))


def load_text_bank(path: str) -> TextBank:
    """Load a bank written by :func:`save_text_bank`.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: naming the file when it is not a valid bank.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'text bank {path} not found; build it with '
                                f'tools/build_text_bank.py')
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in _ARRAYS if k in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise ValueError(
            f'{path}: not a readable text bank ({e}); the file is damaged: '
            'delete it and build it again (tools/build_text_bank.py, or '
            'any run with the same text_bank settings)') from None
    missing = [k for k in _ARRAYS if k not in arrays]
    if missing:
        raise ValueError(f'{path}: not a text bank, arrays {missing} are '
                         f'missing')
    try:
        meta = json.loads(str(arrays.pop('meta')))
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}: meta is not JSON ({e})') from None
    if not isinstance(meta, dict) or meta.get('format') != BANK_FORMAT:
        raise ValueError(f'{path}: meta.format is not {BANK_FORMAT!r}')
    if meta.get('version') != BANK_VERSION:
        raise ValueError(f'{path}: text bank version {meta.get("version")!r}'
                         f' is not supported (expected {BANK_VERSION})')
    return TextBank(meta=meta, path=path, **arrays)


def _sha256(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True,
                      separators=(',', ':'))
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def _select(annotations, description_set, labels) -> TextAnnotations:
    if isinstance(annotations, TextAnnotations):
        return validate_annotations(annotations.data, annotations.source,
                                    labels=labels,
                                    description_set=description_set
                                    or annotations.description_set)
    return load_annotations(annotations, labels=labels,
                            description_set=description_set)


def _extractor(ann, labels, extractor):
    """The extractor to run, or None when every class has key joints."""
    needed = any(ann.description(lb).get('key_joints') is None
                 for lb in labels)
    if not needed:
        return None
    if isinstance(extractor, KeyJointExtractor):
        return extractor
    return KeyJointExtractor(ann.layout, backend=extractor)


def text_bank_key(ann: TextAnnotations, encoder, labels, extractor=None):
    """Cache-key components and their sha256 for a bank.

    Args:
        ann (TextAnnotations): Annotations with the chosen set.
        encoder: A built encoder (see ``build_text_encoder``).
        labels (list[int]): Labels in bank order.
        extractor (KeyJointExtractor, optional): Extractor for classes
            without key joints. Defaults to None.

    Returns:
        tuple[dict, str]: The components and the key.
    """
    items = []
    for label in labels:
        desc = ann.description(label)
        key_joints = desc.get('key_joints')
        items.append([label, ann.joint_texts(label), key_joints,
                      desc['global'] if key_joints is None else None])
    identity = encoder.identity()
    corpus_sha = None
    if encoder.fits_corpus:
        corpus_sha = _sha256(fit_corpus(ann))
    components = dict(
        encoder=identity,
        layout=ann.layout.name,
        description_set=ann.description_set,
        labels=[int(x) for x in labels],
        texts_sha256=_sha256(items),
        corpus_sha256=corpus_sha,
        extractor=None if extractor is None else extractor.name)
    # As stored in a bank's meta (JSON: tuples become lists), so that the
    # components of a cached bank compare equal to fresh ones.
    components = json.loads(json.dumps(components))
    return components, _sha256(components)


def fit_corpus(ann: TextAnnotations):
    """Texts the offline encoder is fitted on: global and joint texts of
    every class that has the chosen set."""
    corpus = []
    for label in ann.labels_with_set():
        corpus.append(ann.description(label)['global'])
        corpus.extend(ann.joint_texts(label))
    return corpus


def build_text_bank(annotations,
                    encoder=None,
                    description_set: Optional[str] = None,
                    labels: Optional[Iterable[int]] = None,
                    extractor: Union[str, KeyJointExtractor] = 'auto'
                    ) -> TextBank:
    """Encode the joint descriptions of an annotation file into a bank.

    Args:
        annotations (str | TextAnnotations): File, shipped name or
            annotations.
        encoder (dict, optional): Encoder config (see
            ``build_text_encoder``). Defaults to ``DEFAULT_ENCODER``.
        description_set (str, optional): Set to encode. Defaults to the
            file's default set.
        labels (Iterable[int], optional): Classes, in bank order. Defaults
            to all classes of the file.
        extractor (str | KeyJointExtractor): Backend ('auto', 'stanza',
            'lexical') or extractor for classes without key joints.
            Defaults to 'auto'.

    Returns:
        TextBank: The bank (not saved).
    """
    ann = _select(annotations, description_set, labels)
    labels = ann.labels if labels is None else [int(x) for x in labels]
    encoder = build_text_encoder(encoder or DEFAULT_ENCODER)
    extractor = _extractor(ann, labels, extractor)
    components, key = text_bank_key(ann, encoder, labels, extractor)
    return _build(ann, encoder, labels, extractor, components, key)


def _build(ann, encoder, labels, extractor, components, key):
    start = time.perf_counter()
    layout = ann.layout
    texts = [t for label in labels for t in ann.joint_texts(label)]
    encoder.prepare(fit_corpus(ann))
    embeddings = encoder.encode(texts).reshape(len(labels),
                                               layout.num_joints, -1)
    key_joints = np.zeros((len(labels), layout.num_joints), np.float32)
    extractors = set()
    for row, label in enumerate(labels):
        desc = ann.description(label)
        if desc.get('key_joints') is None:
            names = extractor(desc['global'])
            extractors.add(extractor.name)
        else:
            names = desc['key_joints']
            extractors.add(desc['key_joints_extractor'])
        if not names:
            logger.warning('class %s (%r): no key joints', label,
                           ann.names[label])
        key_joints[row, [layout.index(j) for j in names]] = 1
    meta = dict(
        format=BANK_FORMAT,
        version=BANK_VERSION,
        cache_key=key,
        key_components=components,
        encoder=dict(components['encoder'], dim=int(embeddings.shape[2])),
        layout=layout.name,
        joints=list(layout.joints),
        description_set=ann.description_set,
        dataset=ann.dataset,
        annotation_file=osp.basename(ann.source),
        class_names=[ann.names[label] for label in labels],
        texts_sha256=components['texts_sha256'],
        extractor=', '.join(sorted(extractors)),
        created=datetime.date.today().isoformat())
    logger.info('built text bank: %d classes x %d joints x %d dims in %.2f s',
                len(labels), layout.num_joints, embeddings.shape[2],
                time.perf_counter() - start)
    return TextBank(labels, embeddings, key_joints, meta)


def _stale_reason(meta, components) -> str:
    old = meta.get('key_components') or {}
    changed = [k for k in _KEY_FIELDS if old.get(k) != components.get(k)]
    return ', '.join(changed) or 'cache key'


def _bank_summary(components) -> str:
    """Classes, encoder, layout and set of cache-key components."""
    labels = list(components.get('labels') or [])
    shown = labels[:8] + (['...'] if len(labels) > 8 else [])
    identity = components.get('encoder') or {}
    encoder = identity.get('name', 'unknown')
    if identity.get('dim'):
        encoder += f'-d{identity["dim"]}'
    return (f'{len(labels)} classes {shown}, encoder {encoder}, layout '
            f'{components.get("layout")!r}, set '
            f'{components.get("description_set")!r}')


def _refuse_named(path, problem, overwrite_hint) -> ValueError:
    """The error for a bank file the caller named that does not fit."""
    return ValueError(
        f'text bank {path} {problem}. It is a file you named, so it is not '
        f'replaced: delete or move it away and run again to build the bank '
        f'there, or name another file (without a path the bank goes to the '
        f'cache folder){overwrite_hint}')


def default_bank_path(ann: TextAnnotations, encoder, labels,
                      cache_dir: Optional[str] = None) -> str:
    """The cache file of a bank: ``<annotations>.<set>.<encoder>[.<labels>]
    .npz`` in ``cache_dir``."""
    stem = osp.splitext(osp.basename(ann.source))[0] or ann.dataset
    safe_set = ''.join(c if c.isalnum() or c in '-_.' else '-'
                       for c in ann.description_set)
    name = f'{stem}.{safe_set}.{encoder.slug()}'
    if list(labels) != ann.labels:
        name += f'.k{len(labels)}-{_sha256(list(labels))[:8]}'
    return osp.join(cache_dir or default_cache_dir(), f'{name}.npz')


def get_text_bank(annotations,
                  encoder: Optional[dict] = None,
                  cache_dir: Optional[str] = None,
                  description_set: Optional[str] = None,
                  labels: Optional[Iterable[int]] = None,
                  path: Optional[str] = None,
                  extractor: Union[str, KeyJointExtractor] = 'auto',
                  overwrite: bool = False,
                  overwrite_hint: str = '') -> TextBank:
    """Return the cached bank if its key matches, else build and save it.

    A stale or unreadable bank in the cache folder is rebuilt. A file named
    with ``path`` is never replaced unless ``overwrite`` is set: when it
    exists and does not match, a ``ValueError`` names it, says what differs
    and how to rebuild it.

    Args:
        annotations (str | TextAnnotations): File, shipped name or
            annotations.
        encoder (dict, optional): Encoder config. Defaults to
            ``DEFAULT_ENCODER``.
        cache_dir (str, optional): Cache folder. Defaults to
            :func:`default_cache_dir`.
        description_set (str, optional): Set to encode. Defaults to the
            file's default set.
        labels (Iterable[int] | Mapping[int, str], optional): Classes in
            bank order, or label -> class name to also check the names.
            Defaults to all classes.
        path (str, optional): Exact bank file (overrides ``cache_dir``).
            Defaults to None.
        extractor (str | KeyJointExtractor): For classes without key joints.
            Defaults to 'auto'.
        overwrite (bool): Replace a ``path`` file that does not match.
            Defaults to False.
        overwrite_hint (str): Appended to the refusal, e.g. the caller's
            option that sets ``overwrite``. Defaults to ''.

    Returns:
        TextBank: The bank, loaded or freshly built.

    Raises:
        ValueError: When ``path`` exists, does not match and ``overwrite``
            is not set.
    """
    ann = _select(annotations, description_set, labels)
    labels = ann.labels if labels is None else [int(x) for x in labels]
    encoder = build_text_encoder(encoder or DEFAULT_ENCODER)
    extractor = _extractor(ann, labels, extractor)
    components, key = text_bank_key(ann, encoder, labels, extractor)
    keep = path is not None and not overwrite
    path = path or default_bank_path(ann, encoder, labels, cache_dir)
    if osp.exists(path):
        try:
            cached = load_text_bank(path)
        except ValueError as e:
            if keep:
                raise _refuse_named(path, f'cannot be read ({e})',
                                    overwrite_hint) from None
            logger.warning('cannot read cached text bank (%s); rebuilding', e)
        else:
            if cached.meta.get('cache_key') == key:
                logger.info('text bank cache hit: %s', path)
                return cached
            reason = _stale_reason(cached.meta, components)
            if keep:
                held = dict(cached.meta.get('key_components') or {},
                            labels=cached.labels.tolist())
                raise _refuse_named(path, (
                    f'does not match the bank asked for (changed: {reason}):'
                    f' the file holds {_bank_summary(held)} ({cached.dim}-d)'
                    f'; asked: {_bank_summary(components)}'), overwrite_hint)
            logger.warning('text bank %s is stale (changed: %s); rebuilding',
                           path, reason)
    bank = _build(ann, encoder, labels, extractor, components, key)
    save_text_bank(bank, path)
    bank.path = path
    logger.info('text bank saved to %s', path)
    return bank
