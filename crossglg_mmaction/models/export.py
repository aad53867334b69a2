"""Export the text-free inference model of a CrossGLG checkpoint.

The exported file holds the inference model's config under
``meta['model']``; the tools that load a checkpoint build that model
instead of the config's (:func:`load_checkpoint_model`).
"""
import copy
import datetime
from typing import Optional

import torch
from mmengine.registry import init_default_scope

from mmaction.registry import MODELS
from ..checkpoint import (check_state_fits, checkpoint_weights,
                          load_checkpoint_file, model_state)
from ..fileio import atomic_write, file_sha256

GUIDANCE_PREFIX = 'cls_head.guidance.'


def inference_model_config(model_cfg):
    """The model config without the training-only guidance branch."""
    model_cfg = copy.deepcopy(model_cfg)
    head = model_cfg.get('cls_head', {})
    if 'guidance' in head or head.get('type') == 'CrossGLGHead':
        head['guidance'] = False
    return model_cfg


def count_parameters(module):
    return sum(p.numel() for p in module.parameters())


def export_inference_checkpoint(cfg, checkpoint, out_file):
    """Write a checkpoint holding only the skeleton branch.

    The guidance branch (``cls_head.guidance.*``) is dropped; the remaining
    weights must load strictly into the inference model built from ``cfg``
    with ``guidance=False``, which is checked before anything is written.

    Args:
        cfg (mmengine.Config): The training config.
        checkpoint (str): Training checkpoint.
        out_file (str): Where to write the inference checkpoint.

    Returns:
        dict: Parameter counts of the training and inference models.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    state = model_state(checkpoint)
    full = MODELS.build(cfg.model)
    check_state_fits(state, full.state_dict(), checkpoint,
                     cfg.filename or 'the config')
    model_cfg = inference_model_config(cfg.model)
    model = MODELS.build(model_cfg)
    kept = {k: v for k, v in state.items()
            if not k.startswith(GUIDANCE_PREFIX)}
    model.load_state_dict(kept, strict=True)
    counts = dict(
        training_parameters=count_parameters(full),
        inference_parameters=count_parameters(model))
    meta = dict(
        model=model_cfg.to_dict() if hasattr(model_cfg, 'to_dict')
        else dict(model_cfg),
        source_checkpoint_sha256=file_sha256(checkpoint),
        exported=datetime.datetime.now().isoformat(timespec='seconds'),
        **counts)
    with atomic_write(out_file, 'wb') as f:
        torch.save(dict(state_dict=model.state_dict(), meta=meta), f)
    return counts


def checkpoint_model_config(checkpoint: dict) -> Optional[dict]:
    """The model config an exported checkpoint holds, None for others.

    Args:
        checkpoint (dict): A loaded checkpoint.

    Returns:
        dict | None: ``meta['model']`` of a file written by
        :func:`export_inference_checkpoint`.
    """
    meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
    model = (meta or {}).get('model')
    return copy.deepcopy(model) if isinstance(model, dict) else None


def load_checkpoint_model(model_cfg, checkpoint: str, config: str):
    """Build the model of a checkpoint and load its weights.

    An exported inference checkpoint brings its own model config (see
    :func:`checkpoint_model_config`), which replaces ``model_cfg``; any
    other checkpoint is loaded into ``model_cfg``'s model. The weights must
    fit the model exactly.

    Args:
        model_cfg (dict): The config's model.
        checkpoint (str): Checkpoint file.
        config (str): The config's name, for messages.

    Returns:
        tuple: The model config used (``model_cfg`` itself unless the
        checkpoint holds its own) and the model (weights loaded).

    Raises:
        ValueError: When the checkpoint is damaged or its weights do not fit
            the model.
    """
    loaded = load_checkpoint_file(checkpoint)
    exported = checkpoint_model_config(loaded)
    if exported is not None:
        model_cfg, config = exported, f'the model stored in {checkpoint}'
    state = checkpoint_weights(loaded)
    model = MODELS.build(copy.deepcopy(model_cfg))
    check_state_fits(state, model.state_dict(), checkpoint, config)
    model.load_state_dict(state)
    return model_cfg, model
