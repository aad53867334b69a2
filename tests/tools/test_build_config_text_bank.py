import pytest

from tool_runner import ROOT, run_main


def test_prepares_the_bank_the_training_set_loads(tmp_path, tiny_synthetic,
                                                  capsys):
    dataset = 'train_dataloader.dataset'
    options = [
        f'{dataset}.protocol={tiny_synthetic}/protocol.json',
        f'{dataset}.class_names={tiny_synthetic}/classes.txt',
        f'{dataset}.num_base_classes=3',
        f'{dataset}.text_bank.annotations={tiny_synthetic}/annotations.json',
        f'{dataset}.text_bank.cache_dir={tmp_path}'
    ]
    bank = run_main('build_config_text_bank', [
        f'{ROOT}/configs/crossglg_synthetic.py', '--cfg-options', *options])
    banks = list(tmp_path.glob('*.hf-sentence-transformers-all-MiniLM-L6-v2-'
                               '*.k3-*.npz'))
    assert len(banks) == 1 and bank.path == str(banks[0])
    assert f'text bank ready: {banks[0]}' in capsys.readouterr().out


def test_unavailable_encoder_is_a_clean_error(tmp_path):
    options = [
        f'train_dataloader.dataset.text_bank.cache_dir={tmp_path}',
        f'train_dataloader.dataset.text_bank.encoder.model={tmp_path}/none',
        'train_dataloader.dataset.text_bank.encoder.local_files_only=True'
    ]
    with pytest.raises(SystemExit) as exit_:
        run_main('build_config_text_bank', [
            f'{ROOT}/configs/crossglg_ntu120_20base.py', '--cfg-options',
            *options])
    assert str(exit_.value.code).startswith(
        'build_config_text_bank.py: error: cannot load text encoder')
    assert not list(tmp_path.glob('*.npz'))
