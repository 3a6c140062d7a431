"""The govrules benchmark: ``python -m bench`` (``make bench``).

Every speed claim is a ratio against a baseline measured in the same process, because the
machines that run it are shared and noisy; each time is a median over repeats.
"""
