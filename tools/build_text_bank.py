"""Build (or reuse) the cached text bank of an annotation file.

The bank holds, per class, the embeddings of the joint descriptions and the
key-joint mask ``k_gt``. A bank whose cache key (encoder, revision, width,
layout, description set, labels, text hashes) matches is reused; a stale one
in the cache folder is rebuilt, an ``--out`` file that holds another bank is
refused unless ``--overwrite`` is given. ``--write-key-joints`` first
extracts the key joints of every class from its global description and stores
them (with the extractor's name) in the annotation file.
``build_config_text_bank.py`` instead builds the bank of exactly the classes
a config's training set uses, with its encoder.

Examples::

    # offline encoder (no download)
    python tools/build_text_bank.py ntu120 --encoder tfidf_svd --dim 256 \
        --out work_dirs/text_banks/ntu120_tfidf.npz
    # the paper's encoder, on a machine that can download it
    python tools/build_text_bank.py ntu120 --encoder huggingface \
        --model microsoft/deberta-v2-xlarge --device cuda \
        --out work_dirs/text_banks/ntu120_deberta.npz
"""
import argparse
import logging
import sys

from crossglg_mmaction.text.annotations import (SHIPPED, AnnotationError,
                                                load_annotations,
                                                resolve_annotation_file,
                                                save_annotations)
from crossglg_mmaction.text.bank import get_text_bank
from crossglg_mmaction.text.encoders import EncoderUnavailableError
from crossglg_mmaction.text.keyjoints import (KeyJointExtractor,
                                              fill_key_joints)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('annotations',
                        help='annotation file or shipped name ('
                        f'{", ".join(SHIPPED)})')
    parser.add_argument('--set', default=None,
                        help='description set (default: the file\'s '
                        'default_set)')
    parser.add_argument('--encoder', choices=('tfidf_svd', 'huggingface'),
                        default='tfidf_svd', help='text encoder')
    parser.add_argument('--model', default=None,
                        help='huggingface: hub id or local directory')
    parser.add_argument('--revision', default=None,
                        help='huggingface: hub revision (default: main)')
    parser.add_argument('--device', default='cpu',
                        help='huggingface: cpu, cuda, cuda:N or auto')
    parser.add_argument('--batch-size', type=int, default=32,
                        help='huggingface: texts per forward pass')
    parser.add_argument('--local-files-only', action='store_true',
                        help='huggingface: never contact the hub')
    parser.add_argument('--dim', type=int, default=None,
                        help='tfidf_svd: embedding width (default: 256)')
    parser.add_argument('--out', default=None,
                        help='bank file (default: a file in --cache-dir)')
    parser.add_argument('--overwrite', action='store_true',
                        help='replace an --out file that holds another bank '
                        '(by default such a file is refused, not replaced)')
    parser.add_argument('--cache-dir', default=None,
                        help='cache folder when --out is not given (default:'
                        ' ~/.cache/crossglg_mmaction/text_banks)')
    parser.add_argument('--write-key-joints', action='store_true',
                        help='extract key joints from the global texts and '
                        'store them in the annotation file first')
    parser.add_argument('--extractor', choices=('auto', 'stanza', 'lexical'),
                        default='auto', help='key-joint extractor')
    parser.add_argument('--stanza-dir', default=None,
                        help='stanza model directory')
    return parser.parse_args(argv)


def encoder_config(args) -> dict:
    """The encoder config dict for the command line."""
    if args.encoder == 'tfidf_svd':
        if args.model or args.revision:
            raise ValueError('--model/--revision apply to --encoder '
                             'huggingface only')
        return dict(type='tfidf_svd', dim=args.dim or 256)
    if args.dim is not None:
        raise ValueError('--dim applies to --encoder tfidf_svd only (a '
                         'huggingface model has its own width)')
    if not args.model:
        raise ValueError('--encoder huggingface needs --model')
    return dict(type='huggingface', model=args.model, revision=args.revision,
                device=args.device, batch_size=args.batch_size,
                local_files_only=args.local_files_only)


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format='%(asctime)s %(levelname)s %(message)s')
    try:
        encoder = encoder_config(args)
        path = resolve_annotation_file(args.annotations)
        extractor = args.extractor
        if args.write_key_joints:
            ann = load_annotations(path, description_set=args.set)
            extractor = KeyJointExtractor(ann.layout, backend=args.extractor,
                                          stanza_dir=args.stanza_dir)
            data = ann.to_dict()
            count = fill_key_joints(data, extractor, ann.description_set)
            save_annotations(data, path)
            logging.info('key joints of %d classes (set %r, extractor %s) '
                         'written to %s', count, ann.description_set,
                         extractor.name, path)
        bank = get_text_bank(path, encoder=encoder, cache_dir=args.cache_dir,
                             description_set=args.set, path=args.out,
                             extractor=extractor, overwrite=args.overwrite,
                             overwrite_hint='; or pass --overwrite')
    except (AnnotationError, EncoderUnavailableError, ValueError,
            FileNotFoundError) as e:
        logging.error('%s', e)
        return 1
    logging.info('text bank %s: %d classes x %d joints x %d dims (encoder '
                 '%s, key joints by %s)', bank.path, len(bank.labels),
                 bank.num_joints, bank.dim, bank.meta['encoder']['name'],
                 bank.meta['extractor'])
    return 0


if __name__ == '__main__':
    sys.exit(main())
