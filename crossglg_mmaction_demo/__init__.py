"""The demo's and the tests' infrastructure, kept apart from the method.

:mod:`.synthetic` generates the embedded synthetic skeleton data set that
``make demo`` trains on and the tests use. It is installed with
``crossglg_mmaction`` but is not part of it: the method package never
imports it (docs/data.md, "The synthetic demo data").
"""
