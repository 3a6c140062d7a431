"""Policy analysis over whole ledgers: city against city, what-if, and pictures.

Needs the ``analysis`` extra (pandas, pyarrow, matplotlib). ``import govrules`` does not import
this package.
"""
