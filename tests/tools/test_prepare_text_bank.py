import sys

from tool_runner import run


def test_prepares_the_bank_the_training_set_loads(tmp_path, tiny_synthetic):
    dataset = 'train_dataloader.dataset'
    options = [
        f'{dataset}.protocol={tiny_synthetic}/protocol.json',
        f'{dataset}.class_names={tiny_synthetic}/classes.txt',
        f'{dataset}.num_base_classes=3',
        f'{dataset}.text_bank.annotations={tiny_synthetic}/annotations.json',
        f'{dataset}.text_bank.cache_dir={tmp_path}'
    ]
    result = run([sys.executable, 'tools/prepare_text_bank.py',
                  'configs/crossglg_synthetic.py', '--cfg-options', *options])
    assert result.returncode == 0, result.stderr[-2000:]
    banks = list(tmp_path.glob('*.hf-sentence-transformers-all-MiniLM-L6-v2-'
                               '*.k3-*.npz'))
    assert len(banks) == 1
    assert f'text bank ready: {banks[0]}' in result.stdout


def test_unavailable_encoder_is_a_clean_error(tmp_path):
    options = [
        f'train_dataloader.dataset.text_bank.cache_dir={tmp_path}',
        f'train_dataloader.dataset.text_bank.encoder.model={tmp_path}/none',
        'train_dataloader.dataset.text_bank.encoder.local_files_only=True'
    ]
    result = run([sys.executable, 'tools/prepare_text_bank.py',
                  'configs/crossglg_ntu120_20base.py', '--cfg-options',
                  *options])
    assert result.returncode == 1
    assert 'prepare_text_bank.py: error: cannot load text encoder' in \
        result.stderr
    assert not list(tmp_path.glob('*.npz'))
