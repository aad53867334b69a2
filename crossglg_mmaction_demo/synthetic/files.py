"""Write a synthetic data set's files."""
import json
import os.path as osp
import pickle
from typing import Dict

from crossglg_mmaction.fileio import atomic_write
from .annotations import synthetic_annotations
from .classes import DEFAULT_NUM_CLASSES
from .generator import generate_dataset
from .spec import SyntheticSpec, synthetic_protocol


def dump_json(obj) -> str:
    """The JSON text the tools write (2-space indent, final newline)."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + '\n'


def write_synthetic(spec: SyntheticSpec, out_dir: str) -> Dict[str, str]:
    """Write the data set files into ``out_dir`` (atomically).

    Files: ``synthetic_3d.pkl`` (:func:`generate_dataset`), ``classes.txt``
    (one class name per line, in label order), ``protocol.json``
    (:func:`synthetic_protocol`) and, when the class list differs from the
    shipped ``crossglg_mmaction/data/synthetic.json``, ``annotations.json``.

    Args:
        spec (SyntheticSpec): What to generate.
        out_dir (str): Output directory (created if missing).

    Returns:
        dict: File role -> path written.
    """
    paths = {
        'pickle': osp.join(out_dir, 'synthetic_3d.pkl'),
        'classes': osp.join(out_dir, 'classes.txt'),
        'protocol': osp.join(out_dir, 'protocol.json'),
    }
    with atomic_write(paths['pickle'], 'wb') as f:
        pickle.dump(generate_dataset(spec), f, protocol=4)
    with atomic_write(paths['classes']) as f:
        f.write(''.join(f'{c.name}\n' for c in spec.classes))
    with atomic_write(paths['protocol']) as f:
        f.write(dump_json(synthetic_protocol(spec)))
    if spec.num_classes != DEFAULT_NUM_CLASSES:
        paths['annotations'] = osp.join(out_dir, 'annotations.json')
        with atomic_write(paths['annotations']) as f:
            f.write(dump_json(synthetic_annotations(spec)))
    return paths
