"""The text side of CrossGLG: prompts, LLM client, annotation files and
importers, key-joint extraction, text encoders and the cached text bank.

Heavy libraries (openai, stanza, transformers, scikit-learn) are imported
only inside the functions that need them.
"""
from .annotations import (AnnotationError, TextAnnotations, load_annotations,
                          resolve_annotation_file, save_annotations,
                          upsert_description, validate_annotations)
from .bank import (TextBank, build_text_bank, get_text_bank, load_text_bank,
                   save_text_bank)
from .encoders import (EncoderUnavailableError, HuggingFaceEncoder,
                       TfidfSvdEncoder, build_text_encoder)
from .keyjoints import KeyJointExtractor, key_joints_from_document

__all__ = [
    'AnnotationError', 'TextAnnotations', 'load_annotations',
    'resolve_annotation_file', 'save_annotations', 'upsert_description',
    'validate_annotations', 'TextBank', 'build_text_bank', 'get_text_bank',
    'load_text_bank', 'save_text_bank', 'EncoderUnavailableError',
    'HuggingFaceEncoder', 'TfidfSvdEncoder', 'build_text_encoder',
    'KeyJointExtractor', 'key_joints_from_document'
]
