"""Helpers for test ids shared by the model tests."""


def stable_id(value) -> str:
    """repr() for test ids, without memory addresses (pytest-xdist workers must collect the same ids)."""
    text = repr(value)
    return type(value).__name__ if " at 0x" in text else text
