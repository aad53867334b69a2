"""tools/export_inference_model.py's output works with the tools that load a
checkpoint, with the training config (the shared tiny CrossGLG run)."""
import torch

from crossglg_mmaction.visualization import load_model
from tool_runner import run_main


def test_exported_model_evaluates_one_shot_like_the_training_checkpoint(
        bad_input_run, tmp_path, capsys):
    run = bad_input_run
    exported = tmp_path / 'inference.pth'
    run_main('export_inference_model',
             [run.config, run.checkpoint, exported])
    saved = torch.load(exported, weights_only=True)
    assert saved['meta']['model']['cls_head']['guidance'] is False
    options = ['--no-calibration', '--batch-size', 6, '--num-workers', 0]
    trained = run_main('test_oneshot', [
        run.config, run.checkpoint, '--work-dir', tmp_path / 'a', *options])
    capsys.readouterr()
    summary = run_main('test_oneshot', [
        run.config, exported, '--work-dir', tmp_path / 'b', *options])
    assert 'is an exported inference model' in capsys.readouterr().out
    assert summary['prototype'] == trained['prototype']
    assert summary['embedding_dim'] == trained['embedding_dim']

    cfg, model = load_model(run.config, str(exported), device='cpu')
    assert model.cls_head.guidance is None
    assert cfg.model.cls_head.guidance is False
