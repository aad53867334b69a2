"""One-shot skeleton dataset with per-class text from a cached text bank."""
from mmengine.dist import barrier, get_rank, get_world_size
from mmengine.logging import MMLogger

from mmaction.registry import DATASETS
from ..log_forwarding import forward_to_mmengine
from ..text.bank import get_text_bank
from .oneshot_dataset import OneShotPoseDataset, load_class_names
from .protocols import get_protocol

TEXT_BANK_KEYS = ('annotations', 'encoder', 'cache_dir', 'description_set',
                  'path', 'text_channels')


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
    return text_bank


def load_class_text_bank(text_bank, labels, layout, class_names=None,
                         source='the dataset'):
    """The checked text bank of a set of classes, built once if needed.

    In a distributed run rank 0 builds a missing bank and the other ranks
    wait and load it. The bank's layout, labels, width (``text_channels``)
    and, with ``class_names``, the text file's class names must match; every
    class needs at least one key joint.

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
    wanted = class_names if class_names is not None else list(labels)
    with forward_to_mmengine():
        if get_world_size() > 1:  # rank 0 builds, the others load
            if get_rank() == 0:
                get_text_bank(labels=wanted, **cfg)
            barrier()
        bank = get_text_bank(labels=wanted, **cfg)
    bank.check(layout=layout, labels=labels, dim=expected_width,
               source=f'{source} (text_channels={expected_width})')
    empty = [(class_names or {}).get(label, label) for label in labels
             if not bank.for_label(label)[1].any()]
    if empty:
        raise ValueError(
            f'{bank.path}: no key joints for class(es) {empty}; the '
            'calibration loss needs at least one per class (name a body '
            'part in the global description or list key_joints)')
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

    Every sample gets ``text_embedding`` (V, C_txt) float32, the encoded
    joint descriptions of its class, and ``key_joints`` (V,) float32, the
    binary key-joint mask ``k_gt`` extracted from its global description.
    Both come from a text bank (see :mod:`crossglg_mmaction.text.bank`)
    built for exactly the dataset's classes, cached on disk and loaded once
    per process (rank 0 builds a missing bank, the other ranks wait and load
    it), so no text encoder runs during training. The arrays are attached in
    :meth:`get_data_info`, so they are shared per class instead of being
    serialised with every sample. Pack them with
    ``PackActionInputs(algorithm_keys=('text_embedding', 'key_joints'))``.

    Start-up checks, each naming both sides: the bank's layout, classes and
    embedding width against the dataset's layout, classes and
    ``text_channels``; the text file's class names against the dataset's
    (when it has names: ``class_names`` or the protocol's); every class has
    at least one key joint.

    Args:
        text_bank (dict): ``annotations`` (a shipped name such as 'ntu120'
            or a JSON file), ``encoder`` (text-encoder config, e.g.
            ``dict(type='huggingface', model='microsoft/deberta-v2-xlarge')``
            or ``dict(type='tfidf_svd', dim=256)``), ``text_channels`` (the
            width the model expects), and optionally ``cache_dir``,
            ``description_set`` and ``path`` (an exact bank file).
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
        info['text_embedding'] = embedding
        info['key_joints'] = key_joints
        return info
