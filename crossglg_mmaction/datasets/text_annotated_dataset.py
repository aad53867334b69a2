"""One-shot skeleton dataset with per-class text from a cached text bank."""
import torch
from mmengine.dist import barrier, get_rank, get_world_size
from mmengine.logging import MMLogger

from mmaction.registry import DATASETS
from ..log_forwarding import forward_to_mmengine
from ..skeleton import get_layout
from ..text.annotations import AnnotationError, load_annotations
from ..text.bank import get_text_bank
from .oneshot_dataset import OneShotPoseDataset, load_class_names
from .protocols import get_protocol

TEXT_BANK_KEYS = ('annotations', 'encoder', 'cache_dir', 'description_set',
                  'path', 'text_channels', 'no_key_joints')
NO_KEY_JOINTS = ('error', 'all_joints')


def check_text_bank_cfg(text_bank):
    """Validate a ``text_bank`` dict (see :class:`TextAnnotatedDataset`)."""
    text_bank = dict(text_bank)
    unknown = set(text_bank) - set(TEXT_BANK_KEYS)
    missing = {'annotations', 'encoder', 'text_channels'} - set(text_bank)
    if unknown or missing:
        raise ValueError(
            f'TextAnnotatedDataset text_bank: unknown keys '
            f'{sorted(unknown)}, missing keys {sorted(missing)}; '
            f'expected {", ".join(TEXT_BANK_KEYS)}')
    policy = text_bank.get('no_key_joints', 'error')
    if policy not in NO_KEY_JOINTS:
        raise ValueError(f'TextAnnotatedDataset text_bank.no_key_joints must '
                         f'be one of {NO_KEY_JOINTS}, got {policy!r}')
    return text_bank


def fill_missing_key_joints(bank, labels, policy, ann, class_names=None):
    """Apply the ``no_key_joints`` policy to classes without key joints.

    Args:
        bank (TextBank): The loaded bank (changed in memory only).
        labels (list[int]): The classes to check.
        policy (str): 'error' (raise, naming the text file and the options)
            or 'all_joints' (every joint is a key joint of such a class).
        ann (TextAnnotations): The text file the bank was built from.
        class_names (dict, optional): ``{label: name}`` for messages.
    """
    empty = [label for label in labels
             if not bank.for_label(label)[1].any()]
    if not empty:
        return
    names = [(class_names or ann.names).get(label, label) for label in empty]
    where = (f'{ann.source} (description set {ann.description_set!r}, text '
             f'bank {bank.path})')
    if policy == 'error':
        raise ValueError(
            f'{where}: no key joints for class(es) {names}; the calibration '
            'loss needs at least one per class: name a body part in their '
            'global descriptions (or list key_joints in the file), or set '
            "text_bank.no_key_joints='all_joints' to count every joint as a "
            'key joint of these classes')
    for label in empty:
        bank.key_joints[bank.labels.tolist().index(label)] = 1
    MMLogger.get_current_instance().warning(
        f'{where}: no key joints for class(es) {names}; every joint counts '
        "as a key joint of them (text_bank.no_key_joints='all_joints')")


def load_class_text_bank(text_bank, labels, layout, class_names=None,
                         source='the dataset'):
    """The checked text bank of a set of classes, built once if needed.

    In a distributed run rank 0 builds a missing bank and the other ranks
    wait and load it. The text file's layout, the bank's layout, labels,
    width (``text_channels``) and, with ``class_names``, the text file's
    class names must match; a class without key joints is handled as
    ``text_bank.no_key_joints`` says (see :func:`fill_missing_key_joints`).

    Args:
        text_bank (dict): ``text_bank`` config of :class:`TextAnnotatedDataset`.
        labels (list[int]): Original class labels, in bank order.
        layout (str | Layout): Skeleton layout of the data.
        class_names (dict, optional): ``{label: name}`` to check the text
            file's names against. Defaults to None.
        source (str): Who asks, for error messages.

    Returns:
        TextBank: The bank.
    """
    cfg = check_text_bank_cfg(text_bank)
    expected_width = cfg.pop('text_channels')
    policy = cfg.pop('no_key_joints', 'error')
    wanted = class_names if class_names is not None else list(labels)
    ann = load_annotations(cfg['annotations'],
                           description_set=cfg.get('description_set'))
    if ann.layout.name != get_layout(layout).name:
        raise AnnotationError(
            f'{ann.source}: the text file is written for layout '
            f'{ann.layout.name!r}, but {source} uses '
            f'{get_layout(layout).name!r}; give text_bank.annotations a file '
            f'for {get_layout(layout).name!r}')
    with forward_to_mmengine():
        if get_world_size() > 1:  # rank 0 builds, the others load
            if get_rank() == 0:
                get_text_bank(labels=wanted, **cfg)
            barrier()
        bank = get_text_bank(labels=wanted, **cfg)
    bank.check(layout=layout, labels=labels, dim=expected_width,
               source=f'{source} (text_channels={expected_width})')
    fill_missing_key_joints(bank, labels, policy, ann, class_names)
    MMLogger.get_current_instance().info(
        f'text bank {bank.path} ({len(labels)} classes, {bank.dim}-d, '
        f'encoder {bank.meta.get("encoder")})')
    return bank


def class_names_to_check(class_names, protocol, labels):
    """The names the text file's classes must have, if the dataset has any.

    Args:
        class_names (Sequence[str] | str | None): The dataset's
            ``class_names`` argument.
        protocol (OneShotProtocol): The dataset's protocol.
        labels (list[int]): The dataset's original labels.

    Returns:
        dict | None: ``{label: name}`` when the dataset names its classes
        (``class_names`` or the protocol's names), else None.
    """
    if class_names is None and protocol.class_names is None:
        return None
    names = load_class_names(class_names, protocol)
    return {label: names[label] for label in labels}


def load_dataset_text_bank(dataset_cfg, source='the dataset'):
    """The text bank a :class:`TextAnnotatedDataset` config uses.

    Builds (or loads) and checks the bank exactly as the dataset does at
    construction, without reading the skeleton data.

    Args:
        dataset_cfg (dict): A ``TextAnnotatedDataset`` config.
        source (str): Who asks, for error messages.

    Returns:
        TextBank: The bank.
    """
    protocol = get_protocol(dataset_cfg['protocol'])
    labels = protocol.subset_classes(
        dataset_cfg.get('subset', 'base'),
        dataset_cfg.get('num_base_classes'), dataset_cfg.get('base_classes'),
        dataset_cfg.get('holdout_dev', False))
    names = class_names_to_check(dataset_cfg.get('class_names'), protocol,
                                 labels)
    return load_class_text_bank(dataset_cfg['text_bank'], labels,
                                dataset_cfg.get('layout', 'ntu25'), names,
                                source=source)


@DATASETS.register_module()
class TextAnnotatedDataset(OneShotPoseDataset):
    """:class:`OneShotPoseDataset` whose samples carry their class's text.

    Every sample gets ``text_embedding`` (V, C_txt), the encoded joint
    descriptions of its class, and ``key_joints`` (V,), the binary key-joint
    mask ``k_gt`` extracted from its global description, as float32 tensors.
    Both come from a text bank (see :mod:`crossglg_mmaction.text.bank`)
    built for exactly the dataset's classes, cached on disk and loaded once
    per process (rank 0 builds a missing bank, the other ranks wait and load
    it), so no text encoder runs during training. They are attached in
    :meth:`get_data_info`, so they are stored once per class instead of
    being serialised with every sample. Pack them with
    ``PackActionInputs(algorithm_keys=('text_embedding', 'key_joints'))``.

    Start-up checks, each naming both sides: the text file's and the
    bank's layout, the bank's classes and embedding width against the
    dataset's layout, classes and ``text_channels``; the text file's class
    names against the dataset's (when it has names: ``class_names`` or the
    protocol's); every class has at least one key joint (or
    ``no_key_joints='all_joints'``).

    Args:
        text_bank (dict): ``annotations`` (a shipped name such as 'ntu120'
            or a JSON file), ``encoder`` (text-encoder config, e.g.
            ``dict(type='huggingface', model='microsoft/deberta-v2-xlarge')``
            or ``dict(type='tfidf_svd', dim=256)``), ``text_channels`` (the
            width the model expects), and optionally ``cache_dir``,
            ``description_set``, ``path`` (an exact bank file; built
            there when missing, refused, never replaced, when it holds
            another bank) and ``no_key_joints`` ('error', the default, or
            'all_joints': every joint is a key joint of a class whose
            global description names no body part).
        *args, **kwargs: :class:`OneShotPoseDataset` arguments.
    """

    def __init__(self, *args, text_bank, **kwargs):
        check_text_bank_cfg(text_bank)
        super().__init__(*args, **kwargs)
        labels = list(self.original_labels)
        names = class_names_to_check(kwargs.get('class_names'),
                                     self.protocol, labels)
        self.bank = load_class_text_bank(
            text_bank, labels, self.layout, names,
            source=f'TextAnnotatedDataset ({self.ann_file}, protocol '
            f'{self.protocol.name!r}, subset {self.subset!r})')

    def get_data_info(self, idx):
        """Sample ``idx`` with its class's ``text_embedding`` and
        ``key_joints``."""
        info = super().get_data_info(idx)
        embedding, key_joints = self.bank.for_label(info['original_label'])
        # tensors, not arrays: MMEngine moves tensor fields of data samples
        # to the device, and torch.compile cannot trace its array check
        info['text_embedding'] = torch.tensor(embedding)
        info['key_joints'] = torch.tensor(key_joints)
        return info
