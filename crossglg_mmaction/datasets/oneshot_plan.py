"""A config's one-shot datasets: one set of rules for every tool.

A training config names its data in its dataloaders: the training set
(the base classes, possibly under ``RepeatDataset``/``ClassBalancedDataset``
wrappers) and the test set (the novel classes with the test pipeline).
:func:`plan_oneshot` reads both and gives the dataset config of any subset
of the protocol with the test pipeline: the features ``tools/test_oneshot.py``
evaluates, the samples ``tools/visualize.py`` draws. :func:`loader_dataset`
finds the training set whose text bank ``tools/build_config_text_bank.py``
builds.

The rules: the evaluated subsets (novel, dev) read the test set's data keys
(:data:`DATA_KEYS`); the base subset reads the training set's data keys and
base selection (:data:`BASE_KEYS`), falling back to the test set's data when
the training set is not a one-shot dataset. The protocol is the test set's,
else the training set's; the layout the data's, else the protocol's.
"""
import copy
from dataclasses import dataclass, field
from typing import List, Optional

from mmaction.registry import DATASETS
from .oneshot_dataset import OneShotPoseDataset, load_class_names
from .protocols import SUBSETS, OneShotProtocol, get_protocol

WRAPPERS = ('RepeatDataset', 'ClassBalancedDataset')
DATA_KEYS = ('ann_file', 'split', 'layout', 'class_names')
BASE_KEYS = ('num_base_classes', 'base_classes', 'holdout_dev')


def loader_dataset(cfg, loader: str) -> Optional[dict]:
    """The innermost dataset config of a dataloader, under any wrappers.

    Args:
        cfg (Config | dict): A config.
        loader (str): 'train_dataloader', 'val_dataloader' or
            'test_dataloader'.

    Returns:
        dict | None: The dataset config, None when the config has no such
        dataloader.
    """
    dataset = (cfg.get(loader) or {}).get('dataset')
    while dataset is not None and dataset.get('type') in WRAPPERS:
        dataset = dataset.get('dataset')
    return dataset


def is_oneshot(dataset_cfg) -> bool:
    """Whether a dataset config builds a :class:`OneShotPoseDataset`."""
    if not dataset_cfg or not isinstance(dataset_cfg.get('type'), str):
        return False
    dataset_cls = DATASETS.get(dataset_cfg['type'])
    return dataset_cls is not None and issubclass(dataset_cls,
                                                  OneShotPoseDataset)


@dataclass
class OneShotPlan:
    """Where each subset of a config's one-shot protocol comes from.

    Build it with :func:`plan_oneshot`.

    Args:
        protocol (OneShotProtocol): The protocol.
        layout (str): Canonical layout name of the data.
        evaluated (dict): Data keys of the novel and dev subsets.
        base (dict): Data keys and base selection of the base subset.
        pipeline (list[dict]): The test pipeline.
        text_bank (dict, optional): The training set's ``text_bank``.
            Defaults to None.
        train_type (str, optional): The training set's type, for messages.
            Defaults to None.
        source (str): The config's name, for messages. Defaults to
            'the config'.
    """
    protocol: OneShotProtocol
    layout: str
    evaluated: dict
    base: dict
    pipeline: list = field(default_factory=list)
    text_bank: Optional[dict] = None
    train_type: Optional[str] = None
    source: str = 'the config'

    def dataset_cfg(self, subset: str, with_text: bool = False,
                    pipeline: Optional[list] = None) -> dict:
        """Dataset config of one subset, in test mode.

        Args:
            subset (str): 'base', 'novel' or 'dev'.
            with_text (bool): A ``TextAnnotatedDataset`` with the training
                set's text bank (``k_gt``). Defaults to False.
            pipeline (list[dict], optional): Replaces the test pipeline.
                Defaults to None.

        Returns:
            dict: A config for ``DATASETS.build``.
        """
        if subset not in SUBSETS:
            raise ValueError(
                f'subset must be one of {SUBSETS}, got {subset!r}')
        keys = self.base if subset == 'base' else self.evaluated
        dataset = dict(
            copy.deepcopy(keys),
            subset=subset,
            type='OneShotPoseDataset',
            protocol=self.protocol.to_dict(),
            pipeline=copy.deepcopy(self.pipeline if pipeline is None else
                                   pipeline),
            test_mode=True)
        if with_text:
            if not self.text_bank:
                raise ValueError(
                    f'{self.source}: joint importance needs the text bank '
                    '(k_gt) of a TextAnnotatedDataset, but the training '
                    f'dataset is {self.train_type!r} without text_bank (an '
                    'InfoGCN baseline config?)')
            dataset.update(type='TextAnnotatedDataset',
                           text_bank=copy.deepcopy(self.text_bank))
        return dataset

    def classes(self, subset: str) -> List[int]:
        """Original labels of a subset (the base selection for 'base')."""
        if subset != 'base':
            return self.protocol.subset_classes(subset)
        return self.protocol.subset_classes(
            'base', self.base.get('num_base_classes'),
            self.base.get('base_classes'), self.base.get('holdout_dev',
                                                         False))

    def class_names(self) -> List[str]:
        """One name per label of the protocol (the test set's names)."""
        return load_class_names(self.evaluated.get('class_names'),
                                self.protocol)


def plan_oneshot(cfg,
                 source: str = 'the config',
                 protocol=None,
                 ann_file: Optional[str] = None,
                 num_base_classes: Optional[int] = None,
                 holdout_dev: bool = False) -> OneShotPlan:
    """Read a config's one-shot datasets (see the module's rules).

    Args:
        cfg (Config | dict): A training config.
        source (str): The config's name, for messages. Defaults to
            'the config'.
        protocol (str | dict | OneShotProtocol, optional): Replaces the
            config's protocol; when it names its classes, its names also
            replace the datasets' ``class_names``. Defaults to None.
        ann_file (str, optional): Replaces the annotation file of every
            subset. Defaults to None.
        num_base_classes (int, optional): Replaces the base selection by
            the first N auxiliary classes. Defaults to None.
        holdout_dev (bool): Remove the dev classes from the base subset.
            Defaults to False (the training set's setting).

    Returns:
        OneShotPlan: The plan.

    Raises:
        ValueError: Without a test (or val) dataset with a pipeline, or
            when no dataset names a protocol.
    """
    test = loader_dataset(cfg, 'test_dataloader') or loader_dataset(
        cfg, 'val_dataloader')
    if test is None or 'pipeline' not in test:
        raise ValueError(f'{source}: no test_dataloader (or '
                         'val_dataloader) dataset with a pipeline')
    train = loader_dataset(cfg, 'train_dataloader') or {}
    evaluated = dict(test) if is_oneshot(test) else {}
    base_source = train if is_oneshot(train) else evaluated
    replaced_protocol = protocol is not None
    protocol = protocol or evaluated.get('protocol') or base_source.get(
        'protocol')
    if protocol is None:
        raise ValueError(f'{source}: its datasets name no one-shot protocol;'
                         ' set the datasets\' protocol (or pass --protocol '
                         'to tools/test_oneshot.py)')
    protocol = get_protocol(protocol)
    evaluated_keys = {k: evaluated[k] for k in DATA_KEYS if k in evaluated}
    base = {k: base_source[k] for k in DATA_KEYS + BASE_KEYS
            if k in base_source}
    if replaced_protocol and protocol.class_names is not None:
        evaluated_keys.pop('class_names', None)
        base.pop('class_names', None)
    data_file = ann_file or evaluated_keys.get('ann_file') or test.get(
        'ann_file')
    layout = evaluated_keys.get('layout') or base.get('layout') or \
        protocol.layout
    evaluated_keys.update(ann_file=data_file, layout=layout)
    base['ann_file'] = ann_file or base.get('ann_file') or data_file
    base['layout'] = base.get('layout') or layout
    if num_base_classes is not None:
        base['num_base_classes'] = num_base_classes
        base.pop('base_classes', None)
    if holdout_dev:
        base['holdout_dev'] = True
    return OneShotPlan(
        protocol=protocol,
        layout=layout,
        evaluated=copy.deepcopy(evaluated_keys),
        base=copy.deepcopy(base),
        pipeline=copy.deepcopy(list(test['pipeline'])),
        text_bank=copy.deepcopy(train.get('text_bank')),
        train_type=train.get('type'),
        source=source)
