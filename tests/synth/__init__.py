"""Tests of :mod:`htwork.synth`."""
