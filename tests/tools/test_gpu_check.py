"""benchmarks/gpu_check.sh: its CPU dry run, and the summary it writes."""
import json
import os
import subprocess
import sys

import pytest

from tool_runner import ROOT


@pytest.mark.slow
def test_cpu_dry_run_writes_every_result(tmp_path):
    out = tmp_path / 'check'
    result = subprocess.run(
        ['bash', 'benchmarks/gpu_check.sh', '--cpu'], cwd=ROOT,
        env=dict(os.environ, OUT=str(out), PYTHON=sys.executable),
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    summary = json.loads((out / 'summary.json').read_text())
    assert summary['device'] == 'cpu'
    assert [r['model'] for r in summary['training_steps']] == [
        'infogcn', 'crossglg']
    assert all(r['train_samples_s'] > 0 for r in summary['training_steps'])
    assert summary['mim_train']['iterations'] >= 1
    assert {'loss_cls', 'loss_c', 'loss_calibrate'} <= set(
        summary['mim_train']['last_losses'])
    assert 0 <= summary['oneshot']['prototype_top1'] <= 1
    assert set(summary['stage_seconds']) == {'steps', 'data', 'train',
                                             'oneshot'}
    assert '# gpu_check on cpu' in (out / 'summary.md').read_text()
