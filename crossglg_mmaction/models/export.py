"""Export the text-free inference model of a CrossGLG checkpoint."""
import copy
import datetime

import torch
from mmengine.registry import init_default_scope

from mmaction.registry import MODELS
from ..checkpoint import check_state_fits, model_state
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
