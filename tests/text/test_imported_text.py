"""Imported third-party text (six-body-part + global files) trains the
shipped configs (issue 12, item 5): class names mapped by line order or
aliases, classes without key joints handled by a chosen option, tolerant
separators, HTML markup reported, decode errors that name the file."""
import logging
import sys

import pytest
from mmengine.config import Config

from crossglg_mmaction.datasets import get_protocol
from crossglg_mmaction.datasets.text_annotated_dataset import \
    load_class_text_bank
from crossglg_mmaction.text.annotations import load_annotations

from tool_runner import run

NTU = get_protocol('ntu120')
UCLA = get_protocol('nwucla')
# GAP-style short names for some NTU-120 classes
SHORT = {1: 'eat meal', 8: 'standing up', 19: 'put on a hat'}
PARTS = ('head looks ahead', 'hand grasps the object', 'arm lifts',
         'hip stays level', 'leg stands', 'foot rests')
NO_BODY_PART = 'He is a tall man in a blue shirt.'
TFIDF = ['train_dataloader.dataset.text_bank.encoder._delete_=True',
         'train_dataloader.dataset.text_bank.encoder.type=tfidf_svd',
         'train_dataloader.dataset.text_bank.encoder.dim=32',
         'train_dataloader.dataset.text_bank.text_channels=32',
         'model.cls_head.guidance.text_channels=32']


def global_text(name):
    return f'The person does {name}: the right arm lifts and both hands move.'


def write_files(tmp_path, names, globals_=None, sep=',', encoding='utf-8'):
    """A part file and a global file for ``names`` (in that order)."""
    globals_ = globals_ or {}
    parts = tmp_path / 'parts.txt'
    parts.write_text(''.join(f'{n};' + ';'.join(PARTS) + '\n' for n in names))
    global_ = tmp_path / 'global.csv'
    global_.write_bytes(''.join(
        f'{n}{sep}{globals_.get(n, global_text(n))}\n'
        for n in names).encode(encoding))
    return parts, global_


def options(**text_bank):
    return [f'train_dataloader.dataset.text_bank.{key}={value}'
            for key, value in text_bank.items()] + TFIDF


def config_bank(config, tmp_path, **text_bank):
    """What the config's training set asks of load_class_text_bank."""
    cfg = Config.fromfile(config)
    cfg.merge_from_dict({
        'train_dataloader.dataset.text_bank': dict(
            encoder=dict(_delete_=True, type='tfidf_svd', dim=32),
            text_channels=32, cache_dir=str(tmp_path / 'banks'),
            **text_bank)})
    dataset = cfg.train_dataloader.dataset
    protocol = get_protocol(dataset.protocol)
    labels = protocol.subset_classes('base', dataset.get('num_base_classes'),
                                     dataset.get('base_classes'))
    names = {label: protocol.class_names[label] for label in labels}
    return lambda: load_class_text_bank(dataset.text_bank, labels,
                                        dataset.layout, names,
                                        source=config)


@pytest.fixture
def ntu_import(tmp_path, run_tool, caplog):
    """NTU-120 GAP-style files, imported by line order: (file, log)."""
    names = [SHORT.get(label, name)
             for label, name in enumerate(NTU.class_names)]
    parts, global_ = write_files(tmp_path, names, {
        'eat meal': NO_BODY_PART, 'brushing teeth': 'A morning routine.'})
    out = tmp_path / 'ntu120_gap.json'
    caplog.set_level(logging.INFO)
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--classes', 'ntu120',
        '--by-order', '--set-name', 'gap', '--llm', 'gpt-3', '--out',
        out]) == 0
    return out, caplog.text


def test_ntu120_names_matched_by_order(ntu_import):
    ntu_import, log = ntu_import
    assert "3 class names differ from the class list and were matched by " \
        "line order (check that both are in the same order): 'eat meal' " \
        "-> 1 'eat meal/snack'; 'standing up' -> 8 'standing up (from " \
        "sitting position)'; 'put on a hat' -> 19 'put on a hat/cap'" in \
        log
    ann = load_annotations(str(ntu_import), labels=dict(
        enumerate(NTU.class_names)), description_set='gap')
    assert ann.description(1)['global'] == NO_BODY_PART


def test_ntu120_classes_without_key_joints_are_an_option(ntu_import,
                                                         tmp_path):
    ntu_import, _ = ntu_import
    config = 'configs/crossglg_ntu120_20base.py'
    with pytest.raises(ValueError) as err:
        config_bank(config, tmp_path, annotations=str(ntu_import),
                    description_set='gap')()
    assert str(err.value).startswith(
        f"{ntu_import} (description set 'gap', text bank ")
    assert "no key joints for class(es) ['eat meal/snack', 'brushing " \
        "teeth']; the calibration loss needs at least one per class: name " \
        'a body part in their global descriptions (or list key_joints in ' \
        "the file), or set text_bank.no_key_joints='all_joints'" in \
        str(err.value)
    # the shipped config, through the tool that builds its bank
    result = run([sys.executable, 'tools/build_config_text_bank.py', config,
                  '--cfg-options', *options(
                      annotations=str(ntu_import), description_set='gap',
                      cache_dir=tmp_path / 'banks',
                      no_key_joints='all_joints')])
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'text bank ready: ' in result.stdout
    assert "every joint counts as a key joint of them " \
        "(text_bank.no_key_joints='all_joints')" in \
        result.stdout + result.stderr
    bank = config_bank(config, tmp_path, annotations=str(ntu_import),
                       description_set='gap', no_key_joints='all_joints')()
    assert bank.dim == 32
    assert bank.for_label(1)[1].all() and bank.for_label(3)[1].sum() < 25


def test_unknown_no_key_joints_value(ntu_import, tmp_path):
    ntu_import, _ = ntu_import
    with pytest.raises(ValueError, match=(
            r"text_bank\.no_key_joints must be one of \('error', "
            r"'all_joints'\), got 'skip'")):
        config_bank('configs/crossglg_ntu120_20base.py', tmp_path,
                    annotations=str(ntu_import), no_key_joints='skip')()


def test_ntu120_short_name_without_mapping_suggests_one(tmp_path, run_tool,
                                                        caplog):
    parts, global_ = write_files(tmp_path, ['drink water', 'eat meal'])
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--classes', 'ntu120',
        '--set-name', 'gap', '--out', tmp_path / 'out.json']) == 1
    assert "parts.txt (label 'eat meal'): class 'eat meal' is not in the " \
        "class list; closest: 'eat meal/snack' (label 1). Map the names of " \
        'the files with aliases (--aliases FILE, lines "name in the ' \
        'files<TAB>class name, code or label") or take the classes from ' \
        'the line order (--by-order)' in caplog.text
    assert not (tmp_path / 'out.json').exists()


def test_by_order_needs_the_whole_class_list(tmp_path, run_tool, caplog):
    parts, global_ = write_files(tmp_path, ['drink water', 'eat meal'])
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--classes', 'ntu120',
        '--by-order', '--set-name', 'gap', '--out',
        tmp_path / 'out.json']) == 1
    assert 'matching by order needs one class per class of the list: the ' \
        'files name 2 classes, the class list has 120' in caplog.text


UCLA_NAMES = ['pick up one hand', 'pick up with two hands', 'drop trash',
              'walk around', 'sit down', 'stand up', 'put on clothes',
              'doffing', 'throw', 'carry']


@pytest.mark.parametrize('strip', [False, True])
def test_nwucla_with_aliases_semicolons_and_markup(tmp_path, run_tool,
                                                   caplog, strip):
    parts, global_ = write_files(tmp_path, UCLA_NAMES, {
        'drop trash': 'The person bends the torso<br>and drops trash with '
        'the right hand &amp; stands up.'}, sep=';')
    aliases = tmp_path / 'aliases.tsv'
    aliases.write_text('# imported name<TAB>class\n'
                       'pick up one hand\tpick up with one hand\n'
                       'put on clothes\t6\n')
    out = tmp_path / 'nwucla_gap.json'
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--classes', 'nwucla',
        '--aliases', aliases, '--layout', 'nwucla', '--set-name', 'gap',
        '--out', out] + ['--strip-markup'] * strip) == 0
    text = load_annotations(str(out), description_set='gap').description(
        2)['global']
    if strip:
        assert f"{global_}:3: removed HTML markup ['<br>', '&amp;']" in \
            caplog.text
        assert text == ('The person bends the torso and drops trash with '
                        'the right hand & stands up.')
    else:
        assert f"{global_}:3: HTML markup ['<br>', '&amp;'] is imported as " \
            'words of the text (strip_markup / --strip-markup removes it)' \
            in caplog.text
        assert '<br>' in text
    bank = config_bank('configs/crossglg_nwucla_5base.py', tmp_path,
                       annotations=str(out), description_set='gap')()
    assert bank.labels.tolist() == [0, 2, 4, 6, 8]
    assert bank.meta['class_names'][3] == 'donning'


def test_latin1_file_is_named_and_readable_with_encoding(tmp_path, run_tool,
                                                         caplog):
    parts, global_ = write_files(tmp_path, ['drink water', 'eat meal/snack'],
                                 {'eat meal/snack': 'The café visitor lifts '
                                  'the right hand to the mouth.'},
                                 encoding='latin-1')
    argv = ['--parts', parts, '--global', global_, '--classes', 'ntu120',
            '--set-name', 'gap', '--out', tmp_path / 'out.json']
    assert run_tool('import_descriptions', argv) == 1
    assert f'{global_}:2: not utf-8 text (byte 0xe9 at column 23: invalid ' \
        'continuation byte); save the file as UTF-8, or give its encoding ' \
        '(e.g. --encoding latin-1)' in caplog.text
    assert run_tool('import_descriptions', argv + ['--encoding',
                                                   'latin-1']) == 0
    ann = load_annotations(str(tmp_path / 'out.json'))
    assert ann.description(1)['global'].startswith('The café visitor')


def test_part_file_with_tabs_and_a_comma_after_the_label(tmp_path,
                                                         run_tool):
    parts = tmp_path / 'parts.txt'
    parts.write_text('drink water\t' + '\t'.join(PARTS) + '\n'
                     'eat meal/snack,' + ';'.join(PARTS) + '\n')
    global_ = tmp_path / 'global.csv'
    global_.write_text('drink water\tThe right hand lifts a cup.\n'
                       'eat meal/snack;The hands bring food to the mouth.\n')
    out = tmp_path / 'out.json'
    assert run_tool('import_descriptions', [
        '--parts', parts, '--global', global_, '--classes', 'ntu120',
        '--set-name', 'gap', '--out', out]) == 0
    ann = load_annotations(str(out))
    assert ann.labels == [0, 1]
    assert ann.description(1)['joints']['left_elbow'] == 'arm lifts'
    assert ann.description(0)['global'] == 'The right hand lifts a cup.'
