# Control for JID's calibration: crossglg_grounded_utdmhad_18base_cpu.py without
# the calibration loss, so JID learns its joint weights from the
# classification losses alone. Its agreement with the key joints of the novel
# classes (jid/cosine of the last validation) is what a calibrated JID must
# beat (docs/benchmarks.md, "Does the guidance work?").
# Validation: as in crossglg_grounded_utdmhad_18base_cpu.py.
_base_ = './crossglg_grounded_utdmhad_18base_cpu.py'

model = dict(cls_head=dict(loss_calibrate=False))
