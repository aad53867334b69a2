"""Synthetic NTU-25 skeleton actions: the embedded default data set.

Classes are compositions of body-part motion primitives (:mod:`.classes`),
performed by subjects with their own proportions (:mod:`.body`), written in
MMAction2's pickle format (:mod:`.generator`) with a one-shot protocol
(:mod:`.spec`) and text annotations generated from the same primitives
(:mod:`.annotations`). ``tools/data/make_synthetic.py`` writes the files.
"""
from .annotations import synthetic_annotations
from .body import Body, subject_body
from .classes import (DEFAULT_CLASSES, MAX_CLASSES, ActionClass, Move,
                      class_catalog)
from .files import dump_json, write_synthetic
from .generator import generate_dataset, generate_sample, perform
from .primitives import PRIMITIVES
from .spec import SyntheticSpec, frame_dir, synthetic_protocol

__all__ = [
    'ActionClass', 'Body', 'DEFAULT_CLASSES', 'MAX_CLASSES', 'Move',
    'PRIMITIVES', 'SyntheticSpec', 'class_catalog', 'dump_json', 'frame_dir',
    'generate_dataset', 'generate_sample', 'perform', 'subject_body',
    'synthetic_annotations', 'synthetic_protocol', 'write_synthetic'
]
