"""A trained model loaded for the pictures, with its config and a name."""
import os.path as osp
from typing import List, Optional, Sequence

from .extraction import build_subset_dataset, extract_features, load_model


class TrainedModel:
    """A config's model with a checkpoint loaded, in eval mode.

    Args:
        config (str): Config file.
        checkpoint (str): Checkpoint file.
        device (str, optional): Torch device. Defaults to None (cuda when
            present, else cpu).
        cfg_options (dict, optional): Overrides merged into the config.
            Defaults to None.
        batch_size (int): Samples per forward pass. Defaults to 16.
        num_workers (int): Data loader workers. Defaults to 0.
    """

    def __init__(self, config: str, checkpoint: str,
                 device: Optional[str] = None,
                 cfg_options: Optional[dict] = None, batch_size: int = 16,
                 num_workers: int = 0):
        self.config = config
        self.checkpoint = checkpoint
        self.cfg, self.model = load_model(config, checkpoint, device,
                                          cfg_options)
        self.name = osp.splitext(osp.basename(config))[0]
        self.batch_size = batch_size
        self.num_workers = num_workers

    @property
    def has_jid(self) -> bool:
        """Whether the backbone has joint importance (JID)."""
        return getattr(self.model.backbone, 'importance', None) is not None

    def dataset(self, subset: str, with_text: bool = False):
        """One subset of the config's protocol with the test pipeline."""
        return build_subset_dataset(self.cfg, subset, with_text,
                                    source=self.config)

    def run(self, dataset, indices: Sequence[int], blocks=(),
            keep_inputs: bool = False, with_topology: bool = True):
        """:func:`~.extraction.extract_features` of this model."""
        return extract_features(
            self.model, dataset, indices, blocks=blocks,
            batch_size=self.batch_size, num_workers=self.num_workers,
            keep_inputs=keep_inputs, with_topology=with_topology)


def load_models(config: str, checkpoint: str,
                compare: Optional[Sequence[str]] = None,
                **kwargs) -> List[TrainedModel]:
    """A model and, optionally, a second one to draw next to it.

    Two models of configs with the same name get their checkpoint's name
    appended.

    Args:
        config (str): Config file of the first model.
        checkpoint (str): Its checkpoint.
        compare (Sequence[str], optional): Config and checkpoint of the
            second model (which gets no ``cfg_options``). Defaults to None.
        **kwargs: :class:`TrainedModel` arguments.

    Returns:
        list[TrainedModel]: One or two models.
    """
    models = [TrainedModel(config, checkpoint, **kwargs)]
    if compare:
        kwargs.pop('cfg_options', None)
        models.append(TrainedModel(*compare, **kwargs))
        if models[0].name == models[1].name:
            for model in models:
                stem = osp.splitext(osp.basename(model.checkpoint))[0]
                model.name = f'{model.name} ({stem})'
    return models
