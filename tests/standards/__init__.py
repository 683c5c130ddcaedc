"""Tests of htwork.standards."""
